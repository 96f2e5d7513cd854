// Responsible for API usage per client: the gateways report per-minute counts, organisers read them by window.
import { DataSource } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { venuesPolicy } from "../venues.visibility";
import { badInput } from "../../../lib/errors";
import { addUsage, UsageCount, usageTotals } from "./api-usage.store";

export type { UsageCount };

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
    await addUsage(this.dataSource, counts);
    return counts.length;
  }

  /** Organisers: totals per client over [from, to). */
  async totals(from: Date, to: Date): Promise<Omit<UsageCount, "minute">[]> {
    venuesPolicy.assertCan(this.context, "api-usage:manage");
    if (!(from < to)) throw badInput("from must be before to.");
    return usageTotals(this.dataSource, from, to);
  }
}
