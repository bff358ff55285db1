import { useEffect } from 'react';

const SHOP_NAME = 'Reference Shop';

/** Every page names itself: browser tabs, history and screen readers read it. */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ${SHOP_NAME}` : SHOP_NAME;
  }, [title]);
}
