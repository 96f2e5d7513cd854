// Revoked API clients, known to every service within a poll interval: tokens stay stateless JWTs,
// and checking one costs a lookup in memory, never a query per request.
import { logger } from "./logger";

/** clientId → when it was revoked. Tokens of that client issued before then are refused. */
export class RevocationList {
  private readonly revoked = new Map<string, Date>();

  /** True when the client was revoked after (or at) the token's issue time. */
  isRevoked(clientId: string, issuedAtSeconds: number | undefined): boolean {
    const revokedAt = this.revoked.get(clientId);
    if (!revokedAt) return false;
    return issuedAtSeconds === undefined || issuedAtSeconds * 1000 <= revokedAt.getTime();
  }

  record(list: { clientId: string; revokedAt: Date | string }[]): void {
    for (const item of list) this.revoked.set(item.clientId, new Date(item.revokedAt));
  }
}

/** This process's list, which every token check reads. */
export const processRevocations = new RevocationList();

/** True when the client was revoked after (or at) the token's issue time. */
export function isRevoked(clientId: string, issuedAtSeconds: number | undefined): boolean {
  return processRevocations.isRevoked(clientId, issuedAtSeconds);
}

/** Records revocations (from the venues subgraph's list, or straight away where the revocation happened). */
export function recordRevocations(list: { clientId: string; revokedAt: Date | string }[]): void {
  processRevocations.record(list);
}

export interface RevocationPoller {
  stop(): void;
  /** Resolves after one refresh (tests, and the start-up). */
  refresh(): Promise<void>;
}

/**
 * Refreshes `list` every `seconds` with `fetchList`; failures are logged and retried at the next tick. Refreshes
 * never overlap and each must end within the interval, so a revocation reaches every process within two intervals
 * at worst (one interval when the venues subgraph answers), the window the README states.
 */
export function pollRevocations(
  fetchList: () => Promise<{ clientId: string; revokedAt: string }[]>,
  seconds: number,
  list: RevocationList = processRevocations,
): RevocationPoller {
  let running: Promise<void> | undefined;
  const refresh = () =>
    (running ??= (async () => {
      try {
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("revocation list refresh timed out")), seconds * 1000).unref());
        list.record(await Promise.race([fetchList(), timeout]));
      } catch (error) {
        logger.warn("could not refresh revoked API clients", { error });
      } finally {
        running = undefined;
      }
    })());
  const timer = setInterval(() => void refresh(), seconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), refresh };
}
