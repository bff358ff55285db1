import { Badge } from '@/components/ui';

/** Below this many units the shop says how many are left. */
export const FEW_LEFT = 5;

type StockStatusProps = { inStock: boolean; available: number };

export function stockLabel({ inStock, available }: StockStatusProps): string {
  if (!inStock || available <= 0) return 'Out of stock';
  return available <= FEW_LEFT ? `Only ${available} left` : 'In stock';
}

export function StockStatus(props: StockStatusProps) {
  const label = stockLabel(props);
  const tone = label === 'Out of stock' ? 'danger' : label === 'In stock' ? 'success' : 'warning';
  return <Badge tone={tone}>{label}</Badge>;
}
