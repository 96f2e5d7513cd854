// The judging subgraph's grants of entries to judges and to the public (entries subgraph). What judging reads
// from other subgraphs goes through lib/clients.
import { InternalCallError, replaceEntryGrants } from "../../lib/internal-client";
import { codedError, ErrorCode } from "../../lib/errors";

const CALLER = "judging";

/** Tells the entries subgraph which entries `source` grants to one judge or to the public (replace-set semantics). */
export async function grantEntries(grant: { source: string; public?: boolean; judgeId?: string; entryIds: string[] }): Promise<void> {
  try {
    await replaceEntryGrants(CALLER, grant);
  } catch (error) {
    if (error instanceof InternalCallError) throw codedError(ErrorCode.SERVICE_UNAVAILABLE, `${error.message} Nothing was changed; try again.`);
    throw error;
  }
}
