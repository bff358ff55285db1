import { Button } from '@/components/ui';

/** The mock payment provider's documented cards. */
export const TEST_CARDS = [
  { number: '4242424242424242', outcome: 'Payment succeeds' },
  { number: '4000000000000002', outcome: 'Payment is declined' },
  { number: '4000000000009995', outcome: 'Payment provider is unavailable' },
] as const;

export function groupCardNumber(number: string): string {
  return number.replace(/(\d{4})(?=\d)/g, '$1 ');
}

export function TestCards({ onUse }: { onUse: (number: string) => void }) {
  return (
    <section className="test-cards" aria-labelledby="test-cards-heading">
      <h3 id="test-cards-heading">Test cards</h3>
      <p className="muted">
        This shop takes no real payments. Use one of these numbers with any future expiry date and any CVC.
      </p>
      <ul>
        {TEST_CARDS.map((card) => (
          <li key={card.number}>
            <span className="test-cards__number">{groupCardNumber(card.number)}</span>
            <span className="test-cards__outcome">{card.outcome}</span>
            <Button variant="secondary" size="sm" onClick={() => onUse(card.number)} aria-label={`Use test card ${groupCardNumber(card.number)} (${card.outcome})`}>
              Use
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
