// Revoked API clients, known to every service within a poll interval: tokens stay stateless JWTs,
// and checking one costs a lookup in memory, never a query per request.
import { logger } from "./logger";

/** clientId → when it was revoked. Tokens of that client issued before then are refused. */
const revoked = new Map<string, Date>();

/** True when the client was revoked after (or at) the token's issue time. */
export function isRevoked(clientId: string, issuedAtSeconds: number | undefined): boolean {
  const revokedAt = revoked.get(clientId);
  if (!revokedAt) return false;
  return issuedAtSeconds === undefined || issuedAtSeconds * 1000 <= revokedAt.getTime();
}

/** Records revocations (from the venues subgraph's list, or straight away where the revocation happened). */
export function recordRevocations(list: { clientId: string; revokedAt: Date | string }[]): void {
  for (const item of list) revoked.set(item.clientId, new Date(item.revokedAt));
}

export interface RevocationPoller {
  stop(): void;
  /** Resolves after one refresh (tests, and the start-up). */
  refresh(): Promise<void>;
}

/** Refreshes the list every `seconds` with `fetchList`; failures are logged and retried at the next tick. */
export function pollRevocations(fetchList: () => Promise<{ clientId: string; revokedAt: string }[]>, seconds: number): RevocationPoller {
  const refresh = async () => {
    try {
      recordRevocations(await fetchList());
    } catch (error) {
      logger.warn("could not refresh revoked API clients", { error });
    }
  };
  const timer = setInterval(refresh, seconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), refresh };
}
