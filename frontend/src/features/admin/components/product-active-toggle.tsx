import { Button, ErrorMessage } from '@/components/ui';

import { useSetProductActive } from '../api/set-product-active';

type ProductActiveToggleProps = { id: number; name: string; isActive: boolean; size?: 'sm' | 'md' };

export function ProductActiveToggle({ id, name, isActive, size = 'sm' }: ProductActiveToggleProps) {
  const mutation = useSetProductActive();
  return (
    <>
      <Button
        variant={isActive ? 'ghost' : 'secondary'}
        size={size}
        isLoading={mutation.isPending}
        onClick={() => mutation.mutate({ id, active: !isActive })}
        aria-label={`${isActive ? 'Deactivate' : 'Activate'} ${name}`}
      >
        {isActive ? 'Deactivate' : 'Activate'}
      </Button>
      {mutation.isError ? <ErrorMessage error={mutation.error} title={`Could not change ${name}`} /> : null}
    </>
  );
}
