import { formatDateTime } from '@/lib/format';

import { statusLabel } from '../lib/status';
import type { OrderHistoryEntry } from '../types';

export function StatusTimeline({ history }: { history: OrderHistoryEntry[] }) {
  if (!history.length) return null;
  const last = history.length - 1;
  return (
    <ol className="timeline" aria-label="Status history">
      {history.map((entry, index) => (
        <li key={`${entry.status}-${entry.at}`} className={`timeline__item${index === last ? ' is-current' : ''}`} aria-current={index === last ? 'step' : undefined}>
          <span className="timeline__dot" aria-hidden="true" />
          <div>
            <p className="timeline__status">{statusLabel(entry.status)}</p>
            <p className="muted">
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
              {entry.actor ? ` · by ${entry.actor}` : null}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}
