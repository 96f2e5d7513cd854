// Responsible for which clients still use deprecated fields: the gateways report per-minute counts, kept per day,
// and organisers read them before a removal to know whom to warn.
import { DataSource } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { venuesPolicy } from "../venues.visibility";
import { badInput } from "../../../lib/errors";
import { addDeprecatedFieldUses, DeprecatedFieldCount, DeprecatedFieldUse, deprecatedFieldUses } from "./api-usage.store";

export type { DeprecatedFieldCount, DeprecatedFieldUse };

export class DeprecatedFieldUsageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {}

  /** Internal (gateways): adds counts; several gateways add to the same daily rows. */
  async record(counts: DeprecatedFieldCount[]): Promise<number> {
    venuesPolicy.assertCan(this.context, "deprecated-usage:manage");
    if (counts.length > 10_000) throw badInput("At most 10000 rows per call.");
    if (counts.length === 0) return 0;
    await addDeprecatedFieldUses(this.dataSource, counts);
    return counts.length;
  }

  /** Organisers: per client and deprecated coordinate, the requests on the UTC days from `from` to `to`. */
  async uses(from: Date, to: Date, coordinate: string | null | undefined): Promise<DeprecatedFieldUse[]> {
    venuesPolicy.assertCan(this.context, "deprecated-usage:manage");
    if (!(from < to)) throw badInput("from must be before to.");
    return deprecatedFieldUses(this.dataSource, from, to, coordinate ?? null);
  }
}
