// The one retry policy: exponential backoff with jitter, used by every loop that retries work later
// (event subscribers handling a feed, webhook deliveries, video renditions, upload checks). Jitter spreads retries of many failures apart.

export interface BackoffPolicy {
  /** Delay after the first failure. */
  baseMs: number;
  /** No delay grows past this. */
  maxMs: number;
}

/** Delay before the next attempt after `failures` failures (≥ 1): base × 2^(failures-1), capped, with ±20% jitter. */
export function retryDelayMs(failures: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(0, failures - 1), 30);
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}
