// Responsible for which clients still use deprecated fields: the gateways report per-minute counts, kept per day,
// and organisers read them before a removal to know whom to warn.
import { DataSource } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { badInput } from "../../../lib/errors";
import { venuesPolicy } from "../venues.visibility";

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

export class DeprecatedFieldUsageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {}

  /** Internal (gateways): adds counts; several gateways add to the same daily rows. */
  async record(counts: DeprecatedFieldCount[]): Promise<number> {
    venuesPolicy.assertCan(this.context, "api-usage:manage");
    if (counts.length > 10_000) throw badInput("At most 10000 rows per call.");
    if (counts.length === 0) return 0;
    await this.dataSource.query(
      `INSERT INTO venues.deprecated_field_usage AS usage (client_id, day, coordinate, requests, last_seen_at)
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
    return counts.length;
  }

  /** Organisers: per client and deprecated coordinate, the requests on the UTC days from `from` to `to`. */
  async uses(from: Date, to: Date, coordinate: string | null | undefined): Promise<DeprecatedFieldUse[]> {
    venuesPolicy.assertCan(this.context, "api-usage:manage");
    if (!(from < to)) throw badInput("from must be before to.");
    return this.dataSource.query(
      `SELECT client_id AS "clientId", coordinate, sum(requests)::int AS requests, max(last_seen_at) AS "lastSeenAt"
         FROM venues.deprecated_field_usage
        WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND day < ($2::timestamptz AT TIME ZONE 'UTC')::date + 1
          AND ($3::text IS NULL OR coordinate = $3)
        GROUP BY client_id, coordinate ORDER BY coordinate, requests DESC, client_id`,
      [from, to, coordinate ?? null],
    );
  }
}
