import { formatMoney } from '@/lib/format';

type PriceProps = {
  /** A decimal string, or null where the server has no price (a product no longer sold). */
  amount: string | null;
  currency?: string;
  className?: string;
};

export function Price({ amount, currency = 'EUR', className }: PriceProps) {
  if (amount === null) {
    return (
      <span className={`price price--none ${className ?? ''}`}>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">No price</span>
      </span>
    );
  }
  return <span className={`price ${className ?? ''}`}>{formatMoney(amount, currency)}</span>;
}
