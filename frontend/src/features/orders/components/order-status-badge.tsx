import { Badge } from '@/components/ui';

import { statusLabel, statusTone } from '../lib/status';

export function OrderStatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone(status)}>{statusLabel(status)}</Badge>;
}
