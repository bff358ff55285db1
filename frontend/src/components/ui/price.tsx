import { formatMoney } from '@/lib/format';

export function Price({ amount, currency = 'EUR', className }: { amount: string; currency?: string; className?: string }) {
  return <span className={`price ${className ?? ''}`}>{formatMoney(amount, currency)}</span>;
}
