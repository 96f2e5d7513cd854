// The SQL of awards (judging.award): serialising the changes to one scope (a theme, and a division or none), proposing
// and placing awards, and the publication requests a scope's publishing and unpublishing write. The rules (which round
// may award, who may manage, what is refused once published, the error codes) live in award.service.ts; values travel
// as parameters.
import type { Queryable } from "../../../lib/database";
import { ThemeCode } from "../../../lib/themes";
import { AwardTier } from "./award.entity";

const SCHEMA = "judging";

/** The awards of one theme in one division (or in none): they are proposed, numbered and published together. */
export interface AwardScope {
  theme: ThemeCode;
  divisionId: string | null;
}

/** One award of a proposal: the entry it goes to, its venue, and its place. */
export interface ProposedAward {
  entryId: string;
  venueId: string;
  tier: AwardTier;
  position: number;
}

/** What an award needs to know of an entry of its round. */
export interface AwardableEntry {
  theme: ThemeCode;
  divisionId: string | null;
  venueId: string;
}

/** Serialises changes to one scope until the transaction ends. */
export async function lockAwardScope(manager: Queryable, scope: AwardScope): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${SCHEMA}.award:${scope.theme}:${scope.divisionId ?? "*"}`]);
}

/** How many of the scope's awards are published. */
export async function publishedAwardCountOfScope(manager: Queryable, scope: AwardScope): Promise<number> {
  const [{ published }] = (await manager.query(
    `SELECT count(*)::int AS published FROM ${SCHEMA}.award WHERE theme = $1 AND division_id IS NOT DISTINCT FROM $2 AND published_at IS NOT NULL`,
    [scope.theme, scope.divisionId],
  )) as { published: number }[];
  return published;
}

/** Deletes the scope's awards that are neither published nor on their way to it (a new proposal replaces them). */
export async function deleteUnpublishedAwardsOfScope(manager: Queryable, scope: AwardScope): Promise<void> {
  await manager.query(
    `DELETE FROM ${SCHEMA}.award WHERE theme = $1 AND division_id IS NOT DISTINCT FROM $2 AND published_at IS NULL AND publish_requested_at IS NULL`,
    [scope.theme, scope.divisionId],
  );
}

/** Inserts a round's proposed awards in a scope (an entry already awarded in the scope is a unique violation). */
export async function insertProposedAwards(manager: Queryable, roundId: string, scope: AwardScope, awards: ProposedAward[]): Promise<void> {
  await manager.query(
    `INSERT INTO ${SCHEMA}.award (round_id, entry_id, theme, division_id, venue_id, tier, position)
     SELECT $1, proposed.entry_id, $2, $3, proposed.venue_id, proposed.tier, proposed.position
       FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::int[]) AS proposed(entry_id, venue_id, tier, position)`,
    [
      roundId,
      scope.theme,
      scope.divisionId,
      awards.map((award) => award.entryId),
      awards.map((award) => award.venueId),
      awards.map((award) => award.tier),
      awards.map((award) => award.position),
    ],
  );
}

/** The theme, division and venue of an entry of the round; undefined when the round does not cover it. */
export async function awardableEntry(db: Queryable, roundId: string, entryId: string): Promise<AwardableEntry | undefined> {
  const [entry] = (await db.query(
    `SELECT theme, division_id AS "divisionId", venue_id AS "venueId" FROM ${SCHEMA}.round_entry WHERE round_id = $1 AND entry_id = $2`,
    [roundId, entryId],
  )) as AwardableEntry[];
  return entry;
}

/**
 * Inserts one award at the end of its tier in the scope (the next position) and returns its id (an entry already
 * awarded in the scope is a unique violation).
 */
export async function insertAwardAtEndOfTier(
  manager: Queryable,
  award: { roundId: string; entryId: string; scope: AwardScope; venueId: string; tier: AwardTier },
): Promise<string> {
  const [row] = await manager.query(
    `INSERT INTO ${SCHEMA}.award (round_id, entry_id, theme, division_id, venue_id, tier, position)
     SELECT $1, $2, $3, $4, $5, $6, COALESCE(max(position), 0) + 1
       FROM ${SCHEMA}.award WHERE theme = $3 AND division_id IS NOT DISTINCT FROM $4 AND tier = $6
     RETURNING id`,
    [award.roundId, award.entryId, award.scope.theme, award.scope.divisionId, award.venueId, award.tier],
  );
  return row.id as string;
}

/** Gives an award its tier and position. */
export async function placeAward(manager: Queryable, awardId: string, tier: AwardTier, position: number): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.award SET tier = $2, position = $3, updated_at = now() WHERE id = $1`, [awardId, tier, position]);
}

export async function deleteAward(manager: Queryable, awardId: string): Promise<void> {
  await manager.query(`DELETE FROM ${SCHEMA}.award WHERE id = $1`, [awardId]);
}

/** Locks the rounds, in id order, until the transaction ends. */
export async function lockRounds(manager: Queryable, roundIds: string[]): Promise<void> {
  await manager.query(`SELECT id FROM ${SCHEMA}.judging_round WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [roundIds]);
}

/** Asks for the scope's awards to be published (those already asked for keep their request time). */
export async function markScopePublishRequested(manager: Queryable, scope: AwardScope): Promise<void> {
  await manager.query(
    `UPDATE ${SCHEMA}.award SET publish_requested_at = COALESCE(publish_requested_at, now()), updated_at = now()
      WHERE theme = $1 AND division_id IS NOT DISTINCT FROM $2`,
    [scope.theme, scope.divisionId],
  );
}

/** Takes the scope's awards back: neither published nor on their way to it. */
export async function markScopeUnpublished(manager: Queryable, scope: AwardScope): Promise<void> {
  await manager.query(
    `UPDATE ${SCHEMA}.award SET published_at = NULL, publish_requested_at = NULL, publish_grant_version = NULL, updated_at = now()
      WHERE theme = $1 AND division_id IS NOT DISTINCT FROM $2`,
    [scope.theme, scope.divisionId],
  );
}

/** For each round, the entries holding a published or publishing award of it (none: an empty list). */
export function publicEntryIdsByRound(manager: Queryable, roundIds: string[]): Promise<{ roundId: string; entryIds: string[] }[]> {
  return manager.query(
    `SELECT round.id AS "roundId",
            COALESCE(array_agg(DISTINCT award.entry_id) FILTER (WHERE award.entry_id IS NOT NULL), '{}') AS "entryIds"
       FROM unnest($1::uuid[]) AS round(id)
       LEFT JOIN ${SCHEMA}.award award ON award.round_id = round.id AND (award.published_at IS NOT NULL OR award.publish_requested_at IS NOT NULL)
      GROUP BY round.id`,
    [roundIds],
  );
}

/** Remembers, on the round's awards still waiting to be published, the grant request that will publish them. */
export async function recordPublishGrantVersion(manager: Queryable, roundId: string, version: number): Promise<void> {
  await manager.query(
    `UPDATE ${SCHEMA}.award SET publish_grant_version = $2 WHERE round_id = $1 AND publish_requested_at IS NOT NULL AND published_at IS NULL`,
    [roundId, version],
  );
}
