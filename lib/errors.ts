// Coded GraphQL errors for every expected failure, and masking for everything else.
import { GraphQLError, GraphQLFormattedError } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { config } from "./config";
import { isDatabaseUnavailable } from "./database-availability";
import { logger } from "./logger";
import { currentRequestScope } from "./request-context";
import { operationValueMessage, variableValueMessage } from "./schema-hiding-messages";

export const ErrorCode = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  DEADLINE_PASSED: "DEADLINE_PASSED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  RATE_LIMITED: "RATE_LIMITED",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  /** The operation is deeper, wider or costlier than the gateway's limits (extensions: limit, max, actual). */
  OPERATION_LIMIT_EXCEEDED: "OPERATION_LIMIT_EXCEEDED",
  /** A registered-only client sent an operation's text that is not among its registered operations. */
  OPERATION_NOT_REGISTERED: "OPERATION_NOT_REGISTERED",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes produced by graphql-js and Apollo Server themselves for bad requests; safe to show. */
const REQUEST_ERROR_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);
const EXPECTED_CODES = new Set<string>([...Object.values(ErrorCode), ...REQUEST_ERROR_CODES]);
EXPECTED_CODES.delete(ErrorCode.INTERNAL_SERVER_ERROR);

export function codedError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const badInput = (message: string, extensions?: Record<string, unknown>) => codedError(ErrorCode.BAD_USER_INPUT, message, extensions);
export const unauthenticated = (message = "A valid bearer token is required for this operation.") => codedError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = "Your token does not allow this operation.") => codedError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string, id?: string) => codedError(ErrorCode.NOT_FOUND, id ? `${what} ${id} was not found.` : `${what} was not found.`);
export const conflict = (message: string, extensions?: Record<string, unknown>) => codedError(ErrorCode.CONFLICT, message, extensions);

export function isExpectedCode(code: unknown): boolean {
  return typeof code === "string" && EXPECTED_CODES.has(code);
}

/**
 * Apollo's formatError: expected errors pass with their code (never a stack trace);
 * anything else is logged with the request id and reaches the client masked.
 */
/**
 * A refused request's message as production answers it: variable values and literals are judged in the caller's
 * terms (lib/schema-hiding-messages.ts), and no "Did you mean …?" hints, which Apollo hides only at validation
 * while variable coercion suggests enum values and fields at run time too.
 */
function withoutSchemaDetails(message: string, error: unknown): string {
  const original = (error as { originalError?: unknown } | undefined)?.originalError;
  const reason = original instanceof Error ? original.message : undefined;
  const withoutHints = message.replace(/ ?Did you mean(.+?)\?$/s, "");
  return variableValueMessage(message, reason) ?? operationValueMessage(withoutHints) ?? withoutHints;
}

/**
 * A variable of the wrong shape gets one error per missing field; reworded, they are identical lines whose count
 * would still tell how many required fields the input has. Identical errors are sent once.
 */
export const identicalErrorsOncePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== "single" || !response.body.singleResult.errors) return;
        const seen = new Set<string>();
        response.body.singleResult.errors = response.body.singleResult.errors.filter((item) => {
          const key = JSON.stringify([item.message, item.path, item.extensions?.code]);
          return seen.has(key) ? false : (seen.add(key), true);
        });
      },
    };
  },
};

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isExpectedCode(code)) {
    // The gateway adds the subgraph's name (serviceName) and, for HTTP failures, its URL and body (response).
    const {
      stacktrace: _stacktrace,
      exception: _exception,
      serviceName: _serviceName,
      response: _response,
      ...extensions
    } = (formatted.extensions ?? {}) as Record<string, unknown>;
    const message = config().nodeEnv === "production" ? withoutSchemaDetails(formatted.message, error) : formatted.message;
    return { ...formatted, message, extensions };
  }
  // Apollo's own refusals of a request (e.g. a persisted-query hash that does not match) carry a 4xx status but no code.
  const original = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } } | undefined)?.extensions;
  const status = original?.http?.status;
  if (original?.code === undefined && typeof status === "number" && status >= 400 && status < 500) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: "BAD_REQUEST" } };
  }
  const requestId = currentRequestScope()?.requestId;
  if (isDatabaseUnavailable(unwrapResolverError(error))) {
    logger.warn("database unavailable", { error: unwrapResolverError(error), path: formatted.path });
    return {
      message: `The service is temporarily unavailable; try again shortly. Request id ${requestId ?? "unknown"}.`,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, requestId },
    };
  }
  logger.error("unexpected error", { error: unwrapResolverError(error), path: formatted.path });
  return {
    message: `Internal server error. Quote request id ${requestId ?? "unknown"} when reporting it.`,
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
