// What a client sees when a subgraph call fails: a coded error that names no subgraph, URL or response body.
// Down, hung (timeout) or refusing the gateway → SERVICE_UNAVAILABLE; the rest of the request still answers.
import { GraphQLError } from "graphql";
import { ErrorCode, isExpectedCode } from "../lib/errors";
import { logger } from "../lib/logger";

export interface FailedSubgraph {
  name: string;
  url: string;
  timeoutMs: number;
  requestId?: string;
}

interface HttpFailure {
  status?: number;
  body?: unknown;
}

/** Codes a subgraph may answer with a non-2xx status that the client should see as they are. */
const PASSED_CODES = new Set<string>([
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.PAYLOAD_TOO_LARGE,
  ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  ErrorCode.RATE_LIMITED,
]);

function unavailable(subgraph: FailedSubgraph, why: string): GraphQLError {
  return new GraphQLError(`Part of this request could not be answered: ${why}. The rest of the answer is complete; try again shortly.`, {
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, ...(subgraph.requestId ? { requestId: subgraph.requestId } : {}) },
  });
}

/** A subgraph shed the call for overload: the whole answer becomes a 503 (admission.plugin), never partial data. */
function overloaded(subgraph: FailedSubgraph, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError("The service is at capacity; retry shortly.", {
    extensions: {
      code: ErrorCode.SERVICE_UNAVAILABLE,
      reason: "OVERLOADED",
      retryAfterSeconds,
      ...(subgraph.requestId ? { requestId: subgraph.requestId } : {}),
    },
  });
}

function isTimeout(error: { name?: string; type?: string; code?: string; message?: string }): boolean {
  return error.name === "AbortError" || error.name === "TimeoutError" || error.type === "aborted" || /timed out/i.test(error.message ?? "");
}

function isNetworkFailure(error: { type?: string; code?: string; errno?: unknown; message?: string }): boolean {
  return error.type === "system" || (typeof error.code === "string" && /^E[A-Z]+$/.test(error.code)) || /socket hang up|ECONN|EPIPE/.test(error.message ?? "");
}

/** Turns any failure of a call to `subgraph` into the error the client gets; the details go to the log only. */
export function subgraphFailure(error: Error, subgraph: FailedSubgraph): Error {
  const shape = error as Error & { type?: string; code?: string };
  const http = error instanceof GraphQLError ? (error.extensions?.response as HttpFailure | undefined) : undefined;
  const log = (message: string) => logger.warn(message, { subgraph: subgraph.name, url: subgraph.url, error, status: http?.status, body: http?.body });
  if (http) {
    const first = (
      http.body as { errors?: { message?: unknown; extensions?: { code?: unknown; reason?: unknown; retryAfterSeconds?: unknown } }[] } | undefined
    )?.errors?.[0];
    const code = first?.extensions?.code;
    if (http.status === 503 && first?.extensions?.reason === "OVERLOADED") {
      log("subgraph shed the call for overload");
      return overloaded(subgraph, Number(first.extensions.retryAfterSeconds) || 1);
    }
    if (typeof code === "string" && PASSED_CODES.has(code) && typeof first?.message === "string" && (http.status ?? 500) < 500) {
      return new GraphQLError(first.message, { extensions: { code } });
    }
    log("subgraph answered with an HTTP error");
    if (http.status === 403) return unavailable(subgraph, "a service refused the gateway");
    if (http.status === 502 || http.status === 503 || http.status === 504) return unavailable(subgraph, "a service is unavailable");
    return new Error(`The ${subgraph.name} subgraph answered HTTP ${http.status}`);
  }
  if (error instanceof GraphQLError && isExpectedCode(error.extensions?.code)) return error;
  if (isTimeout(shape)) {
    log("subgraph did not answer in time");
    return unavailable(subgraph, `a service did not answer within ${subgraph.timeoutMs} ms`);
  }
  if (isNetworkFailure(shape)) {
    log("subgraph unreachable");
    return unavailable(subgraph, "a service is unreachable");
  }
  log("subgraph call failed");
  return error;
}
