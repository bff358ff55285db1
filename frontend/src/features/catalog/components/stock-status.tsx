import { Badge } from '@/components/ui';

type StockStatusProps = { inStock: boolean; available: boolean };

export function stockLabel({ inStock, available }: StockStatusProps): string {
  if (!available) return 'Not available';
  return inStock ? 'In stock' : 'Out of stock';
}

export function StockStatus(props: StockStatusProps) {
  const tone = !props.available ? 'neutral' : props.inStock ? 'success' : 'danger';
  return <Badge tone={tone}>{stockLabel(props)}</Badge>;
}
