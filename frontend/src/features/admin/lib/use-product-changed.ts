import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

/** After any product change: refresh the back-office lists and the shop's own pages. */
export function useProductChanged() {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['admin', 'products'] }),
      queryClient.invalidateQueries({ queryKey: ['catalog'] }),
    ]);
  }, [queryClient]);
}
