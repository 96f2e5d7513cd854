// The grants the judging subgraph asks the entries subgraph to keep, as entry-grants.requested events recorded in
// the transaction that changes assignments or awards (never a call while it is open). Callers hold the round's
// row lock (assignments) or the rounds' locks (awards), so requests for one source are numbered in commit order
// and the entries subgraph can ignore an older one. entry-grants.applied comes back through judging.events.ts.
import type { EntityManager } from "typeorm";
import { recordEvent } from "../../lib/events/outbox";
import type { EntryGrantSet } from "../../lib/events/types";

const SCHEMA = "judging";

/** Judges' grants are per round: source "round:<roundId>", audience "judge:<judgeId>". */
export const roundGrantSource = (roundId: string) => `round:${roundId}`;
/** Published awards of a round make their entries public: source "awards:<roundId>", audience public. */
export const awardGrantSource = (roundId: string) => `awards:${roundId}`;

/** The round a grant source belongs to, and which kind of source it is; null for another subgraph's source. */
export function parseGrantSource(source: string): { kind: "round" | "awards"; roundId: string } | null {
  const match = /^(round|awards):([0-9a-f-]{36})$/.exec(source);
  return match ? { kind: match[1] as "round" | "awards", roundId: match[2] } : null;
}

/** Records a grant request and returns its version. */
export async function requestGrants(manager: EntityManager, source: string, grants: EntryGrantSet[]): Promise<number> {
  const [row] = await manager.query(`SELECT nextval('${SCHEMA}.grant_version') AS version`);
  const version = Number(row.version);
  await recordEvent(manager, SCHEMA, { type: "entry-grants.requested", organizationIds: [], payload: { source, version, grants } });
  return version;
}
