// Completes a publication once the entries subgraph has made the awarded entries public: the awards waiting for
// that grant request become PUBLISHED, each round's score-log head is fixed and signed, and partners hear of it
// (awards.published, one event per scope, to the organisations whose venues' entries won; no entrant identity).
import type { EntityManager } from "typeorm";
import { recordEvent } from "../../../lib/events/outbox";
import { JudgingRound } from "../round/round.entity";
import { fixScoreLogHead, ScoreLogHeadReason } from "../score/score-log";
import { rowsOf } from "../../../lib/database";

const SCHEMA = "judging";

interface PublishedAward {
  id: string;
  round_id: string;
  entry_id: string;
  venue_id: string;
  theme: string;
  division_id: string | null;
  tier: string;
  position: number;
}

/** Publishes the round's awards whose grant request `version` (or an earlier one) is applied; returns how many. */
export async function completeAwardPublication(manager: EntityManager, roundId: string, version: number): Promise<number> {
  const awards: PublishedAward[] = await manager
    .query(
      `UPDATE ${SCHEMA}.award SET published_at = now(), updated_at = now()
      WHERE round_id = $1 AND published_at IS NULL AND publish_requested_at IS NOT NULL AND publish_grant_version <= $2
      RETURNING id, round_id, entry_id, venue_id, theme, division_id, tier, position`,
      [roundId, version],
    )
    .then((result: unknown) => rowsOf<PublishedAward>(result));
  if (awards.length === 0) return 0;
  const round = await manager.getRepository(JudgingRound).findOneByOrFail({ id: roundId });
  const head = await fixScoreLogHead(manager, round, ScoreLogHeadReason.AWARDS_PUBLISHED);
  const scoreLogHeads = [{ roundId, hash: head.hash, recordCount: head.recordCount, fixedAt: head.fixedAt.toISOString(), jws: head.jws }];
  const scopes = new Map<string, PublishedAward[]>();
  for (const award of awards) {
    const key = `${award.theme}|${award.division_id ?? ""}`;
    scopes.set(key, [...(scopes.get(key) ?? []), award]);
  }
  for (const scoped of scopes.values()) {
    const rows: { organizationId: string }[] = await manager.query(
      `SELECT DISTINCT organization_id AS "organizationId" FROM ${SCHEMA}.round_entry WHERE round_id = $1 AND entry_id = ANY($2::uuid[])`,
      [roundId, scoped.map((award) => award.entry_id)],
    );
    await recordEvent(manager, "judging", {
      type: "awards.published",
      organizationIds: rows.map((row) => row.organizationId),
      payload: {
        theme: scoped[0].theme,
        divisionId: scoped[0].division_id,
        awards: scoped.map((award) => ({
          awardId: award.id,
          roundId,
          entryId: award.entry_id,
          venueId: award.venue_id,
          tier: award.tier,
          position: award.position,
        })),
        scoreLogHeads,
      },
    });
  }
  return awards.length;
}
