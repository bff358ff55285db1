import { useCallback, useRef } from 'react';

/**
 * One Idempotency-Key per checkout attempt. The key is made on the first
 * submit and kept for every retry of the same attempt (a double click, a
 * request that timed out). It changes when the attempt is over or when the
 * customer changes what they send: the same key with another body is refused
 * by the server (422 idempotency_key_reused).
 */
export function useIdempotencyKey() {
  const attempt = useRef<{ key: string; fingerprint: string } | null>(null);

  const keyFor = useCallback((fingerprint: string): string => {
    if (!attempt.current || attempt.current.fingerprint !== fingerprint) {
      attempt.current = { key: crypto.randomUUID(), fingerprint };
    }
    return attempt.current.key;
  }, []);

  const endAttempt = useCallback(() => {
    attempt.current = null;
  }, []);

  return { keyFor, endAttempt };
}
