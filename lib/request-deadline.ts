// A caller's deadline travels with its request: the gateway tells each subgraph how long it will still wait for the
// answer (x-request-deadline-ms, milliseconds from now, so the two clocks need not agree), and the subgraph abandons
// the request's work when that time has passed, even if the connection stays open (a proxy in between, a caller
// whose close never arrives). Abandoned work is dropped before it starts (lib/concurrency-share) and its running
// statements are cancelled (lib/statement-cancellation).
import type { RequestHandler } from "express";
import { currentRequestScope } from "./request-context";

export const DEADLINE_HEADER = "x-request-deadline-ms";

/** Longer than any caller waits (SUBGRAPH_TIMEOUT_MS is at most 600000); larger values are read as this. */
const MAX_DEADLINE_MS = 600_000;

/** The header a caller sends: it will wait `remainingMs` more for the answer. */
export function deadlineHeaders(remainingMs: number): Record<string, string> {
  return { [DEADLINE_HEADER]: String(Math.max(1, Math.floor(remainingMs))) };
}

/** Milliseconds the caller will still wait, or undefined when it sent no usable header. */
export function deadlineFrom(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  return Math.min(Math.max(1, Number(value)), MAX_DEADLINE_MS);
}

/**
 * Aborts the request scope's signal when the caller's deadline passes before the answer is complete. Runs before the
 * subgraph's admission, so time spent queued counts against the deadline; the signal it sets is combined with the
 * caller-gone signal admission adds.
 */
export const abandonAtCallerDeadline: RequestHandler = (request, response, next) => {
  const remainingMs = deadlineFrom(request.headers[DEADLINE_HEADER]);
  const scope = currentRequestScope();
  if (remainingMs !== undefined && scope) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error("the caller's deadline passed")), remainingMs);
    timer.unref();
    response.once("close", () => clearTimeout(timer));
    scope.signal = scope.signal ? AbortSignal.any([scope.signal, controller.signal]) : controller.signal;
  }
  next();
};
