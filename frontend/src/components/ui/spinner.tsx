type SpinnerProps = {
  label?: string;
  size?: 'sm' | 'md';
  /** Inside a control that already says what is going on. */
  decorative?: boolean;
};

export function Spinner({ label = 'Loading…', size = 'md', decorative = false }: SpinnerProps) {
  if (decorative) return <span className={`spinner spinner--${size}`} aria-hidden="true" />;
  return (
    <div className="loading" role="status">
      <span className={`spinner spinner--${size}`} aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
