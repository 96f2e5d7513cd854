// Responsible for API usage per client: the gateways report per-minute counts, organisers read them by window.
import { DataSource } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { venuesPolicy } from "../venues.visibility";
import { badInput } from "../../../lib/errors";

export interface UsageCount {
  clientId: string;
  minute: Date;
  requests: number;
  errors: number;
  rateLimited: number;
}

export class ApiUsageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {}

  /** Internal (gateways): adds per-minute counts; several gateways add to the same rows. */
  async record(counts: UsageCount[]): Promise<number> {
    venuesPolicy.assertCan(this.context, "api-usage:manage");
    if (counts.length > 10_000) throw badInput("At most 10000 rows per call.");
    if (counts.length === 0) return 0;
    await this.dataSource.query(
      `INSERT INTO venues.api_usage (client_id, minute, requests, errors, rate_limited)
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
    return counts.length;
  }

  /** Organisers: totals per client over [from, to). */
  async totals(from: Date, to: Date): Promise<Omit<UsageCount, "minute">[]> {
    venuesPolicy.assertCan(this.context, "api-usage:manage");
    if (!(from < to)) throw badInput("from must be before to.");
    return this.dataSource.query(
      `SELECT client_id AS "clientId", sum(requests)::int AS requests, sum(errors)::int AS errors, sum(rate_limited)::int AS "rateLimited"
         FROM venues.api_usage WHERE minute >= $1 AND minute < $2 GROUP BY client_id ORDER BY requests DESC, client_id`,
      [from, to],
    );
  }
}
