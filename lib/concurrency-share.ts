// A share of a service's capacity: at most `concurrency` requests run at once (p-limit), at most `queueLength`
// wait, and none waits longer than `queueTimeoutMs`. What does not fit is shed at once with 503 and Retry-After —
// answered in well under a millisecond of work — instead of queueing without bound until every caller times out.
// A request whose caller has gone while it waited is dropped without running.
import { AsyncResource } from "node:async_hooks";
import type { NextFunction, Request, Response } from "express";
import pLimit from "p-limit";

export interface ShareSettings {
  concurrency: number;
  queueLength: number;
  queueTimeoutMs: number;
}

export interface ShareStatistics {
  admitted: number;
  shed: number;
  /** Callers that left while queued (their work never started). */
  abandoned: number;
}

/** Seconds a shed caller is told to wait. */
export const SHED_RETRY_AFTER_SECONDS = 1;

/** The answer a shed request gets; `Connection: close` so a flood cannot keep the socket either. */
export function shed(response: Response, share: string): void {
  if (response.headersSent) return;
  response.setHeader("retry-after", String(SHED_RETRY_AFTER_SECONDS));
  response.setHeader("connection", "close");
  response.status(503).json({
    errors: [
      {
        message: `The service is at capacity for ${share === "public" ? "anonymous" : "authenticated"} requests; retry after ${SHED_RETRY_AFTER_SECONDS} s.`,
        extensions: { code: "SERVICE_UNAVAILABLE", reason: "OVERLOADED", retryAfterSeconds: SHED_RETRY_AFTER_SECONDS },
      },
    ],
  });
}

export class ConcurrencyShare {
  private readonly limit;
  readonly statistics: ShareStatistics = { admitted: 0, shed: 0, abandoned: 0 };

  constructor(
    readonly name: string,
    private readonly settings: ShareSettings,
  ) {
    this.limit = pLimit(settings.concurrency);
  }

  get active(): number {
    return this.limit.activeCount;
  }

  get queued(): number {
    return this.limit.pendingCount;
  }

  /** Runs the rest of the request inside the share (its slot is held until the response closes), or sheds it. */
  admit(request: Request, response: Response, next: NextFunction): void {
    if (this.limit.activeCount >= this.settings.concurrency && this.limit.pendingCount >= this.settings.queueLength) {
      this.statistics.shed += 1;
      shed(response, this.name);
      return;
    }
    // A queued request starts when another one's slot is released, inside that request's async context: without the
    // binding it would run in the other request's scope (its request id, and its abort signal, already aborted when
    // that caller left — its subgraph calls then failed at once and it was answered 200 with partial data).
    // (A resource and runInAsyncScope rather than AsyncResource.bind: on Node 20, bind defines a deprecated accessor
    // pair on every bound function, which showed in the subgraphs' profiles on every request.)
    const scope = new AsyncResource("ConcurrencyShare");
    const proceed = () => scope.runInAsyncScope(next);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.statistics.shed += 1;
      shed(response, this.name);
    }, this.settings.queueTimeoutMs);
    timer.unref();
    void this.limit(
      () =>
        new Promise<void>((release) => {
          clearTimeout(timer);
          if (timedOut) return release();
          // The caller's connection, not the request stream: a request whose body has been read is destroyed by
          // Node once consumed, while its caller still waits (the gateway takes the slot after reading the body).
          if (response.writableEnded || response.destroyed || request.socket?.destroyed !== false) {
            this.statistics.abandoned += 1;
            return release();
          }
          this.statistics.admitted += 1;
          response.once("close", () => release());
          proceed();
        }),
    );
  }
}
