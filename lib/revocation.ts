// Revoked API clients, known to every process: tokens stay stateless JWTs, and checking one costs a lookup in
// memory, never a query per request. A revocation reaches every process as an api-client.revoked event from the
// venues subgraph (within a second); each process also re-reads the whole list every REVOCATION_POLL_SECONDS, the
// catch-up for anything the feed missed (a process that started after the event, a feed that was down).
// When the list cannot be refreshed (the venues subgraph unreachable) it fails closed for API clients only: past
// REVOCATION_MAX_STALE_SECONDS without a successful refresh, tokens issued to API clients are refused with a
// retryable SERVICE_UNAVAILABLE (reason REVOCATIONS_STALE), while organisers' and services' tokens, which no
// revocation list covers, go on working. A log line and the revocation-list metrics say the list is stale.
import { Gauge } from "prom-client";
import { config } from "./config";
import { codedError, ErrorCode } from "./errors";
import { logger } from "./logger";
import { metricsRegistry } from "./metrics";

/** clientId → when it was revoked. Tokens of that client issued before then are refused. */
export class RevocationList {
  private readonly revoked = new Map<string, Date>();
  /**
   * When the list was last known complete: its last successful refresh or, before the first one, when the process
   * started. A process that starts while the venues subgraph is down is thus exposed for no longer than one that
   * refreshed just before venues went away.
   */
  private refreshedAt = Date.now();
  private reportedStale = false;

  /** True when the client was revoked after (or at) the token's issue time. */
  isRevoked(clientId: string, issuedAtSeconds: number | undefined): boolean {
    const revokedAt = this.revoked.get(clientId);
    if (!revokedAt) return false;
    return issuedAtSeconds === undefined || issuedAtSeconds * 1000 <= revokedAt.getTime();
  }

  /** Adds revocations (an event, or the service that revoked). */
  record(list: { clientId: string; revokedAt: Date | string }[]): void {
    for (const item of list) this.revoked.set(item.clientId, new Date(item.revokedAt));
  }

  /** The whole list was read from the venues subgraph: the list is complete as of now. */
  refreshed(list: { clientId: string; revokedAt: Date | string }[]): void {
    this.record(list);
    this.refreshedAt = Date.now();
    if (this.reportedStale) {
      this.reportedStale = false;
      logger.info("the list of revoked API clients is fresh again; API client tokens are accepted");
    }
  }

  /** Seconds since the list was last known complete. */
  ageSeconds(): number {
    return (Date.now() - this.refreshedAt) / 1000;
  }

  /** True when the list is older than the bound; the first time it becomes so, an error is logged. */
  isStale(maxAgeSeconds = config().revocationMaxStaleSeconds): boolean {
    const ageSeconds = this.ageSeconds();
    const stale = ageSeconds > maxAgeSeconds;
    if (stale && !this.reportedStale) {
      this.reportedStale = true;
      logger.error("the list of revoked API clients is stale: API client tokens are refused until it is refreshed", {
        ageSeconds: Math.round(ageSeconds),
        maxStaleSeconds: maxAgeSeconds,
      });
    }
    return stale;
  }
}

/** This process's list, which every token check reads. */
export const processRevocations = new RevocationList();

/** True when the client was revoked after (or at) the token's issue time. */
export function isRevoked(clientId: string, issuedAtSeconds: number | undefined): boolean {
  return processRevocations.isRevoked(clientId, issuedAtSeconds);
}

/** Records revocations straight away where the revocation happened. */
export function recordRevocations(list: { clientId: string; revokedAt: Date | string }[]): void {
  processRevocations.record(list);
}

/** Refuses a token of an API client when this process cannot know whether the client was revoked. */
export function assertRevocationsFresh(): void {
  if (!processRevocations.isStale()) return;
  const retryAfterSeconds = config().revocationPollSeconds;
  throw codedError(
    ErrorCode.SERVICE_UNAVAILABLE,
    `Tokens of API clients cannot be checked against revocations right now (the list has not been refreshed for ${Math.round(processRevocations.ageSeconds())} s); retry in ${retryAfterSeconds} s.`,
    { reason: "REVOCATIONS_STALE", retryAfterSeconds },
  );
}

new Gauge({
  name: "image_china_revocation_list_age_seconds",
  help: "Seconds since this process's list of revoked API clients was last refreshed from the venues subgraph.",
  registers: [metricsRegistry],
  collect() {
    this.set(processRevocations.ageSeconds());
  },
});

new Gauge({
  name: "image_china_revocation_list_stale",
  help: "1 while the list of revoked API clients is older than REVOCATION_MAX_STALE_SECONDS (API client tokens are refused), else 0.",
  registers: [metricsRegistry],
  collect() {
    this.set(processRevocations.isStale() ? 1 : 0);
  },
});

export interface RevocationPoller {
  stop(): void;
  /** Resolves after one refresh (tests, and the start-up). */
  refresh(): Promise<void>;
}

/**
 * Refreshes `list` every `seconds` with `fetchList`; failures are logged and retried at the next tick. Refreshes
 * never overlap and each must end within the interval.
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
        list.refreshed(await Promise.race([fetchList(), timeout]));
      } catch (error) {
        logger.warn("could not refresh revoked API clients", { error, ageSeconds: Math.round(list.ageSeconds()) });
        list.isStale();
      } finally {
        running = undefined;
      }
    })());
  const timer = setInterval(() => void refresh(), seconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), refresh };
}
