// Responsible for the grants other subgraphs keep on entries: the public (published awards and exhibitions)
// and judges (their assignments). Each source replaces its own set, so a retried call changes nothing.
import { DataSource } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { badInput } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { entriesPolicy, judgeAudience, PUBLIC_AUDIENCE } from "../entries.visibility";

const SOURCE = /^[a-z]+:[A-Za-z0-9:._-]{1,200}$/;
const MAX_ENTRIES = 50_000;

export class EntryGrantService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {}

  /** Makes `entryIds` exactly the entries that `source` grants to `audience`; returns how many it now grants. */
  async replace(source: string, audience: { public?: boolean | null; judgeId?: string | null }, entryIds: string[]): Promise<number> {
    entriesPolicy.assertCan(this.context, "entry-grant:replace");
    if (!SOURCE.test(source)) throw badInput('source must look like "exhibition:<id>" or "round:<id>".', { argument: "source" });
    if (Boolean(audience.public) === Boolean(audience.judgeId)) throw badInput("Give exactly one of public: true or judgeId.");
    const target = audience.public ? PUBLIC_AUDIENCE : judgeAudience(parseId(audience.judgeId!, "judgeId"));
    if (entryIds.length > MAX_ENTRIES) throw badInput(`At most ${MAX_ENTRIES} entries per call.`, { argument: "entryIds" });
    const ids = [...new Set(entryIds.map((id) => parseId(id, "entryIds")))];
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `DELETE FROM entries.entry_grant WHERE source = $1 AND audience = $2 AND NOT (entry_id = ANY($3::uuid[]))`,
        [source, target, ids],
      );
      await manager.query(
        `INSERT INTO entries.entry_grant (entry_id, audience, source)
         SELECT entry.id, $2, $1 FROM entries.entry entry WHERE entry.id = ANY($3::uuid[])
         ON CONFLICT DO NOTHING`,
        [source, target, ids],
      );
      const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM entries.entry_grant WHERE source = $1 AND audience = $2`, [source, target]);
      return count;
    });
  }
}
