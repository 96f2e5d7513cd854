// One TypeORM DataSource per subgraph schema: creates the schema if missing and runs that subgraph's migrations.
import { Client } from "pg";
import { DataSource, DefaultNamingStrategy, EntityManager, QueryFailedError, EntitySchema, Logger as TypeOrmLogger, MixedList } from "typeorm";
import { config } from "./config";
import { logger } from "./logger";
import { currentRequestScope } from "./request-context";
import { metrics } from "./metrics";
import { trackTransactions } from "./transaction-scope";
import { RequestBoundClient } from "./statement-cancellation";

/** Every SQL statement this process has sent while serving requests, for the batching tests and the benchmark. */
export const sqlStatementCounter = { total: 0 };

/** Request ids whose statements are counted in every service of this process (the request id travels with the request). */
const trackedRequests = new Map<string, number>();

/**
 * Counts the SQL statements one request costs across the services of this process: start tracking a request
 * id, send the request with it (x-request-id), then read the count. Background work never adds to it.
 */
export function trackStatements(requestId: string): { count: () => number; stop: () => number } {
  trackedRequests.set(requestId, 0);
  return {
    count: () => trackedRequests.get(requestId) ?? 0,
    stop: () => {
      const count = trackedRequests.get(requestId) ?? 0;
      trackedRequests.delete(requestId);
      return count;
    },
  };
}

class CountingLogger implements TypeOrmLogger {
  logQuery(query: string): void {
    // Only statements made for a request count: background workers (outbox, webhooks) would make counts drift.
    const scope = currentRequestScope();
    if (scope) {
      scope.sqlStatements += 1;
      sqlStatementCounter.total += 1;
      metrics.sqlStatements.inc({ service: scope.service });
      const tracked = trackedRequests.get(scope.requestId);
      if (tracked !== undefined) trackedRequests.set(scope.requestId, tracked + 1);
    }
    logger.debug("sql", { query });
  }
  logQueryError(error: string | Error, query: string): void {
    logger.warn("sql failed", { error: String(error), query });
  }
  logQuerySlow(time: number, query: string): void {
    logger.warn("slow sql", { ms: time, query });
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    logger.info("migration", { message });
  }
  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") logger.warn(String(message));
  }
}

/** Maps camelCase properties to snake_case columns, so hand-written SQL and migrations read like SQL. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

class SnakeNamingStrategy extends DefaultNamingStrategy {
  override columnName(propertyName: string, customName: string | undefined, prefixes: string[]): string {
    return customName ?? snakeCase([...prefixes, propertyName].join("_"));
  }
}

export interface DatabaseOptions {
  /** The Postgres schema this subgraph owns. */
  schema: string;
  url: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function>;
  poolSize?: number;
}

export function createDataSource(options: DatabaseOptions): DataSource {
  trackTransactions();
  return new DataSource({
    type: "postgres",
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: "migrations",
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: "pgcrypto",
    migrationsTransactionMode: "each",
    synchronize: false,
    logging: true,
    logger: new CountingLogger(),
    maxQueryExecutionTime: 1000,
    extra: {
      // Statements of a request its caller abandoned are refused or cancelled (lib/statement-cancellation).
      Client: RequestBoundClient,
      max: options.poolSize ?? config().databasePoolSize,
      application_name: `image-china-${options.schema}`,
      // Every statement has a deadline so a stuck query cannot hold a request forever.
      statement_timeout: 15_000,
      connectionTimeoutMillis: 5_000,
    },
  });
}

/** Connects, creates the subgraph's schema (TypeORM does not) and brings it up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  try {
    await withMigrationLock(options.url, options.schema, async () => {
      try {
        await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      } catch (error) {
        // Two services starting at once may race to create the same schema.
        if (!/already exists/.test(String(error))) throw error;
      }
      await dataSource.runMigrations({ transaction: "each" });
    });
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  return dataSource;
}

/**
 * Runs `migrate` while holding a PostgreSQL advisory lock named after the schema, so replicas (and the migrations Job)
 * that start at once migrate one after the other: the later ones find the work done. TypeORM's runMigrations would
 * otherwise race to create the migrations table and to apply the same migration twice. The lock is held on a
 * connection of its own, outside the pool, so a pool of one connection still has it for the migrations.
 */
export async function withMigrationLock<T>(url: string, schema: string, migrate: () => Promise<T>): Promise<T> {
  const lock = new Client({ connectionString: url, application_name: `image-china-${schema}-migrations` });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext($1))", [`image-china:migrations:${schema}`]);
    return await migrate();
  } finally {
    // Closing the session releases the lock even if the unlock was never sent.
    await lock.end().catch(() => undefined);
  }
}

/** True when the database answers a trivial query. */
export async function databaseIsReady(dataSource: DataSource): Promise<boolean> {
  try {
    await dataSource.query("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

/** A DataSource or an EntityManager: whatever runs a statement with TypeORM's query(sql, parameters) (the stores take it). */
export type Queryable = Pick<EntityManager, "query">;

/**
 * The rows of a query() answer: TypeORM answers UPDATE and DELETE (with RETURNING) as [rows, affected count] on
 * PostgreSQL, and other statements as the rows.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === "number") return result[0] as T[];
  return result as T[];
}

/** True for a unique-constraint violation (Postgres 23505), which callers turn into CONFLICT. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError?.code === "23505" && (constraint === undefined || driverError.constraint === constraint);
}

/** pg returns bigint as a string; our bigints (bytes, pixels) fit a JavaScript number. */
export const bigintAsNumber = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
