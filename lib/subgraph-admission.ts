// Bounded concurrency for a subgraph: the gateway already admits callers by their shares, but a subgraph can be
// reached by several gateways (and services), so it keeps its own bounded queues and sheds with 503 rather than
// queue without bound. Requests with a token and without one have separate shares here too. When the gateway
// abandons a call (its caller left, or its deadline passed) the request's signal is aborted and queued work is
// dropped before it starts.
import type { RequestHandler } from "express";
import { config } from "./config";
import { ConcurrencyShare } from "./concurrency-share";
import { currentRequestScope } from "./request-context";

/** Aborts the request scope's signal when the caller goes before the answer is complete. */
export const abortWhenCallerLeaves: RequestHandler = (request, response, next) => {
  const controller = new AbortController();
  const scope = currentRequestScope();
  // Combined with a signal set before (the caller's deadline, lib/request-deadline).
  if (scope) scope.signal = scope.signal ? AbortSignal.any([scope.signal, controller.signal]) : controller.signal;
  response.once("close", () => {
    if (!response.writableFinished) controller.abort();
  });
  next();
};

export function subgraphAdmission(): RequestHandler[] {
  const { authenticatedConcurrency, publicConcurrency, queueLength, publicQueueLength, queueTimeoutMs } = config().admission;
  const authenticated = new ConcurrencyShare("authenticated", { concurrency: authenticatedConcurrency, queueLength, queueTimeoutMs });
  const anonymous = new ConcurrencyShare("public", { concurrency: publicConcurrency, queueLength: publicQueueLength, queueTimeoutMs });
  return [abortWhenCallerLeaves, (request, response, next) => (request.headers.authorization ? authenticated : anonymous).admit(request, response, next)];
}
