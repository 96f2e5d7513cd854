// Responsible for the grants other subgraphs keep on entries: the public (published awards and exhibitions) and
// judges (their assignments). They arrive as entry-grants.requested events; each source replaces its own set per
// audience, and a request older than the last one applied for that source and audience is ignored, so a
// redelivered or late event changes nothing.
import { EntityManager } from "typeorm";
import type { EntryGrantSet } from "../../../lib/events/types";
import { isUuid } from "../../../lib/ids";
import { judgeAudience, PUBLIC_AUDIENCE } from "../entries.visibility";

const SCHEMA = "entries";
const SOURCE = /^[a-z]+:[A-Za-z0-9:._-]{1,200}$/;

/** The audience a grant set is for, or null when the set is malformed (exactly one of public or a judge). */
export function audienceOf(grant: EntryGrantSet): string | null {
  if (Boolean(grant.public) === Boolean(grant.judgeId)) return null;
  if (grant.judgeId) return isUuid(grant.judgeId) ? judgeAudience(grant.judgeId) : null;
  return PUBLIC_AUDIENCE;
}

export const isGrantSource = (source: string): boolean => SOURCE.test(source);

/**
 * Makes `entryIds` exactly the entries `source` grants to `audience`, unless a request with a later version was
 * applied already. Returns whether it applied.
 */
export async function replaceGrants(manager: EntityManager, source: string, audience: string, version: number, entryIds: string[]): Promise<boolean> {
  const newer: unknown[] = await manager.query(
    `INSERT INTO ${SCHEMA}.entry_grant_source (source, version) VALUES ($1, $2)
     ON CONFLICT (source) DO UPDATE SET version = EXCLUDED.version, applied_at = now() WHERE entry_grant_source.version <= EXCLUDED.version
     RETURNING source`,
    [`${source}|${audience}`, version],
  );
  if (newer.length === 0) return false;
  const ids = [...new Set(entryIds.filter(isUuid))];
  await manager.query(`DELETE FROM ${SCHEMA}.entry_grant WHERE source = $1 AND audience = $2 AND NOT (entry_id = ANY($3::uuid[]))`, [source, audience, ids]);
  await manager.query(
    `INSERT INTO ${SCHEMA}.entry_grant (entry_id, audience, source)
     SELECT entry.id, $2, $1 FROM ${SCHEMA}.entry entry WHERE entry.id = ANY($3::uuid[])
     ON CONFLICT DO NOTHING`,
    [source, audience, ids],
  );
  return true;
}

/** The organisations whose entries `source` makes public (the partners a publication concerns). */
export async function publicGrantOrganizations(manager: EntityManager, source: string): Promise<string[]> {
  const rows: { organization_id: string }[] = await manager.query(
    `SELECT DISTINCT entry.organization_id FROM ${SCHEMA}.entry_grant grant_row JOIN ${SCHEMA}.entry entry ON entry.id = grant_row.entry_id
      WHERE grant_row.source = $1 AND grant_row.audience = $2 ORDER BY entry.organization_id`,
    [source, PUBLIC_AUDIENCE],
  );
  return rows.map((row) => row.organization_id);
}
