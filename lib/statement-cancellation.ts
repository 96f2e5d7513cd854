// Work a caller abandoned is cancelled in PostgreSQL too (issue #19, class 4). A request's scope carries a signal
// that aborts when its caller goes before the answer (lib/subgraph-admission) or its deadline passes
// (lib/request-deadline). Every pooled connection is a RequestBoundClient: a statement sent for an aborted request is
// refused without reaching the database, and one running when the request is abandoned is cancelled with
// pg_cancel_backend. Why not `SET LOCAL statement_timeout` from the gateway's deadline instead: it needs a transaction
// around every statement (or a SET and a RESET on every checkout, two more round trips), it cannot learn that the
// caller went away early, and a deadline alone leaves queued statements of the same request to run one by one.
// The cancel goes through a small pool of its own (one connection, same credentials and TLS), never through the
// service's pool, which may be the very thing that is exhausted.
import { Client, ClientConfig, Pool, PoolConfig } from "pg";
import { logger } from "./logger";
import { metrics } from "./metrics";
import { currentRequestScope } from "./request-context";

/** SQLSTATE query_canceled: the same code PostgreSQL gives a cancelled statement, so callers treat both alike. */
const QUERY_CANCELED = "57014";

/** A statement refused because its request was abandoned before it was sent. */
export class StatementAbandonedError extends Error {
  readonly code = QUERY_CANCELED;
  constructor() {
    super("canceling statement: the request was abandoned by its caller (it went away or its deadline passed)");
  }
}

/** One canceller per pool configuration (pg-pool passes the same options object to every client it makes). */
const cancellers = new WeakMap<object, Pool>();

function cancellerFor(options: ClientConfig & PoolConfig): Pool {
  let pool = cancellers.get(options);
  if (!pool) {
    const { Client: _client, max: _max, statement_timeout: _timeout, ...connection } = options as PoolConfig & { Client?: unknown };
    pool = new Pool({
      ...connection,
      max: 1,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      application_name: `${options.application_name ?? "image-china"}-cancel`.slice(0, 63),
      statement_timeout: 5_000,
    });
    pool.on("error", (error) => logger.warn("statement canceller lost its connection", { error }));
    cancellers.set(options, pool);
  }
  return pool;
}

/** Closes the canceller of a DataSource's pool (the service is closing its database). */
export async function closeCanceller(dataSource: { driver: unknown }): Promise<void> {
  const options = (dataSource.driver as { master?: { options?: object } }).master?.options;
  const pool = options && cancellers.get(options);
  if (!pool) return;
  cancellers.delete(options);
  await pool.end().catch(() => undefined);
}

type QueryFunction = (...args: unknown[]) => unknown;

/**
 * ROLLBACK (and ROLLBACK TO SAVEPOINT) always go through: they are how a cancelled or refused transaction ends, and
 * a connection must never go back to the pool inside an aborted transaction.
 */
function endsTransaction(query: unknown): boolean {
  const text = typeof query === "string" ? query : (query as { text?: unknown })?.text;
  return typeof text === "string" && /^\s*ROLLBACK\b/i.test(text);
}
const plainQuery = Client.prototype.query as unknown as QueryFunction;

/** A pg client whose statements belong to the request that sent them. Only promise-returning calls are watched. */
export class RequestBoundClient extends Client {
  constructor(readonly poolOptions: ClientConfig & PoolConfig) {
    super(poolOptions);
  }

  /** The backend's process id (pg sets it at connect; its types leave it out). */
  get backendProcessId(): number {
    return (this as unknown as { processID: number }).processID;
  }
}

(RequestBoundClient.prototype as unknown as { query: QueryFunction }).query = function (this: RequestBoundClient, ...args: unknown[]) {
  const scope = currentRequestScope();
  const signal = scope?.signal;
  const submittable = typeof (args[0] as { submit?: unknown })?.submit === "function";
  const withCallback = args.some((arg) => typeof arg === "function");
  if (!signal || submittable || withCallback || endsTransaction(args[0])) return plainQuery.apply(this, args);
  if (signal.aborted) {
    metrics.statementsAbandoned.inc({ service: scope!.service, outcome: "refused" });
    return Promise.reject(new StatementAbandonedError());
  }
  let cancelling: Promise<void> | undefined;
  const cancel = () => {
    const processId = this.backendProcessId;
    metrics.statementsAbandoned.inc({ service: scope!.service, outcome: "cancelled" });
    cancelling = cancellerFor(this.poolOptions)
      .query("SELECT pg_cancel_backend($1)", [processId])
      .then(() => undefined)
      .catch((error) => logger.warn("could not cancel an abandoned statement", { error, processId }));
  };
  signal.addEventListener("abort", cancel, { once: true });
  // The statement settles only after its cancel (if any) has been delivered: a cancel that reached the backend after
  // this statement had ended is ignored while the backend waits for a command, and can never hit the next statement
  // another request sends on this connection, because the connection is not released before then.
  const settle = async () => {
    signal.removeEventListener("abort", cancel);
    await cancelling;
  };
  return (plainQuery.apply(this, args) as Promise<unknown>).then(
    async (result) => {
      await settle();
      return result;
    },
    async (error) => {
      await settle();
      throw error;
    },
  );
};
