// Coded GraphQL errors for every expected failure, and masking for everything else.
import { GraphQLError, GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { logger } from "./logger";
import { currentRequestScope } from "./request-context";

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

export const badInput = (message: string, extensions?: Record<string, unknown>) =>
  codedError(ErrorCode.BAD_USER_INPUT, message, extensions);
export const unauthenticated = (message = "A valid bearer token is required for this operation.") =>
  codedError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = "Your token does not allow this operation.") => codedError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string, id?: string) =>
  codedError(ErrorCode.NOT_FOUND, id ? `${what} ${id} was not found.` : `${what} was not found.`);
export const conflict = (message: string, extensions?: Record<string, unknown>) =>
  codedError(ErrorCode.CONFLICT, message, extensions);

export function isExpectedCode(code: unknown): boolean {
  return typeof code === "string" && EXPECTED_CODES.has(code);
}

/**
 * Apollo's formatError: expected errors pass with their code (never a stack trace);
 * anything else is logged with the request id and reaches the client masked.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isExpectedCode(code)) {
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions };
  }
  const requestId = currentRequestScope()?.requestId;
  logger.error("unexpected error", { error: unwrapResolverError(error), path: formatted.path });
  return {
    message: `Internal server error. Quote request id ${requestId ?? "unknown"} when reporting it.`,
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
