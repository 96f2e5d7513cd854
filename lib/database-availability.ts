// Tells a database that is away (down, restarting, refusing connections, too slow) from a bug, so the client gets
// SERVICE_UNAVAILABLE and retries instead of an internal error. The pg pool reconnects by itself when it is back.

/** SQLSTATE classes and codes that mean "the database is not there right now", not "this request is wrong". */
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down)
  "57014", // query_canceled: statement_timeout
  "53300", // too_many_connections
  "53000", // insufficient_resources
  "08000",
  "08001",
  "08003",
  "08004",
  "08006", // connection exceptions
]);

const UNAVAILABLE_SYSTEM_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Connection is not established|Driver not Connected/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
];

/**
 * TypeORM's own errors for a connection the pool dropped under a running transaction: when PostgreSQL goes away, the
 * pool's error handler releases the query runner, and the transaction's next statement (or its COMMIT) finds it gone.
 */
const UNAVAILABLE_ERROR_NAMES = new Set(["QueryRunnerAlreadyReleasedError", "QueryRunnerProviderAlreadyReleasedError"]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

/** True when `error`, or an error it wraps (TypeORM's driverError, a cause, an AggregateError's errors), says the database is away. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const shape = error as ErrorShape;
  if (typeof shape.code === "string" && (UNAVAILABLE_SQLSTATES.has(shape.code) || UNAVAILABLE_SYSTEM_CODES.has(shape.code))) return true;
  if (typeof shape.name === "string" && UNAVAILABLE_ERROR_NAMES.has(shape.name)) return true;
  if (typeof shape.message === "string" && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(shape.message as string))) return true;
  const inner = [shape.driverError, shape.cause, shape.originalError, ...(Array.isArray(shape.errors) ? shape.errors : [])];
  return inner.some((item) => item !== error && isDatabaseUnavailable(item, depth + 1));
}
