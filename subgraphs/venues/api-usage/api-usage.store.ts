// The SQL of API usage: per-minute request counts per client (venues.api_usage) and daily counts of deprecated fields
// per client (venues.deprecated_field_usage), both added to by every gateway. The checks (who may record or read,
// row limits, windows) live in api-usage.service.ts and deprecated-field-usage.service.ts.
import { DataSource } from "typeorm";

const SCHEMA = "venues";

export interface UsageCount {
  clientId: string;
  minute: Date;
  requests: number;
  errors: number;
  rateLimited: number;
}

export interface DeprecatedFieldCount {
  clientId: string;
  minute: Date;
  coordinate: string;
  requests: number;
}

export interface DeprecatedFieldUse {
  clientId: string;
  coordinate: string;
  requests: number;
  lastSeenAt: Date;
}

/** Adds per-minute counts to the rows of their minutes (several gateways add to the same rows). */
export async function addUsage(db: DataSource, counts: UsageCount[]): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.api_usage (client_id, minute, requests, errors, rate_limited)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::int[], $5::int[])
     ON CONFLICT (client_id, minute) DO UPDATE SET requests = api_usage.requests + EXCLUDED.requests,
       errors = api_usage.errors + EXCLUDED.errors, rate_limited = api_usage.rate_limited + EXCLUDED.rate_limited`,
    [
      counts.map((count) => count.clientId.slice(0, 200)),
      counts.map((count) => count.minute),
      counts.map((count) => count.requests),
      counts.map((count) => count.errors),
      counts.map((count) => count.rateLimited),
    ],
  );
}

/** Totals per client over [from, to), the busiest first. */
export function usageTotals(db: DataSource, from: Date, to: Date): Promise<Omit<UsageCount, "minute">[]> {
  return db.query(
    `SELECT client_id AS "clientId", sum(requests)::int AS requests, sum(errors)::int AS errors, sum(rate_limited)::int AS "rateLimited"
       FROM ${SCHEMA}.api_usage WHERE minute >= $1 AND minute < $2 GROUP BY client_id ORDER BY requests DESC, client_id`,
    [from, to],
  );
}

/** Adds per-minute counts of deprecated fields to the rows of their UTC days. */
export async function addDeprecatedFieldUses(db: DataSource, counts: DeprecatedFieldCount[]): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.deprecated_field_usage AS usage (client_id, day, coordinate, requests, last_seen_at)
     SELECT client_id, (minute AT TIME ZONE 'UTC')::date, coordinate, sum(requests), max(minute)
       FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::int[]) AS given(client_id, minute, coordinate, requests)
      GROUP BY 1, 2, 3
     ON CONFLICT (client_id, day, coordinate) DO UPDATE SET requests = usage.requests + EXCLUDED.requests,
       last_seen_at = greatest(usage.last_seen_at, EXCLUDED.last_seen_at)`,
    [
      counts.map((count) => count.clientId.slice(0, 200)),
      counts.map((count) => count.minute),
      counts.map((count) => count.coordinate.slice(0, 300)),
      counts.map((count) => count.requests),
    ],
  );
}

/** Per client and deprecated coordinate (all, or one), the requests on the UTC days from `from` to `to`. */
export function deprecatedFieldUses(db: DataSource, from: Date, to: Date, coordinate: string | null): Promise<DeprecatedFieldUse[]> {
  return db.query(
    `SELECT client_id AS "clientId", coordinate, sum(requests)::int AS requests, max(last_seen_at) AS "lastSeenAt"
       FROM ${SCHEMA}.deprecated_field_usage
      WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND day < ($2::timestamptz AT TIME ZONE 'UTC')::date + 1
        AND ($3::text IS NULL OR coordinate = $3)
      GROUP BY client_id, coordinate ORDER BY coordinate, requests DESC, client_id`,
    [from, to, coordinate],
  );
}
