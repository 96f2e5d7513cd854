// The SQL of exhibited works' positions and removal (exhibitions.exhibited_work): counting and listing the works on
// show, moving one, applying a whole order, removing one and closing the gaps. The rules (who may curate, what a valid
// position or order is, grants and events) live in exhibited-work.service.ts; values travel as parameters.
import { EntityManager } from "typeorm";
import { WorkRemovalReason } from "./exhibited-work.entity";

const SCHEMA = "exhibitions";

/** Renumbers the works on show of the given exhibitions 1..n, keeping their order. */
export async function compactPositions(manager: EntityManager, exhibitionIds: string[]): Promise<void> {
  await manager.query(
    `UPDATE ${SCHEMA}.exhibited_work work SET position = ranked.new_position
       FROM (SELECT id, row_number() OVER (PARTITION BY exhibition_id ORDER BY position, id)::int AS new_position
               FROM ${SCHEMA}.exhibited_work WHERE exhibition_id = ANY($1::uuid[]) AND removed_at IS NULL) ranked
      WHERE work.id = ranked.id AND work.position <> ranked.new_position`,
    [exhibitionIds],
  );
}

/** How many works an exhibition shows. */
export async function worksOnShowCount(manager: EntityManager, exhibitionId: string): Promise<number> {
  const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM ${SCHEMA}.exhibited_work WHERE exhibition_id = $1 AND removed_at IS NULL`, [
    exhibitionId,
  ]);
  return count;
}

/** The ids of the works an exhibition shows. */
export async function worksOnShowIds(manager: EntityManager, exhibitionId: string): Promise<string[]> {
  const rows: { id: string }[] = await manager.query(`SELECT id FROM ${SCHEMA}.exhibited_work WHERE exhibition_id = $1 AND removed_at IS NULL`, [exhibitionId]);
  return rows.map((row) => row.id);
}

/**
 * Makes room for a work moving from position `from` to `to`: the works between shift by one towards `from`. Positions
 * are unique at commit, not per statement, so the others can shift before the moved one lands.
 */
export async function shiftForMove(manager: EntityManager, exhibitionId: string, workId: string, from: number, to: number): Promise<void> {
  await manager.query(
    `UPDATE ${SCHEMA}.exhibited_work SET position = position + CASE WHEN $2::int < $3::int THEN 1 ELSE -1 END
      WHERE exhibition_id = $1 AND removed_at IS NULL AND position BETWEEN LEAST($2::int, $3::int) AND GREATEST($2::int, $3::int) AND id <> $4`,
    [exhibitionId, to, from, workId],
  );
}

/** Puts an exhibition's works in the given order (positions 1..n in the order of `ids`). */
export async function applyWorkOrder(manager: EntityManager, exhibitionId: string, ids: string[]): Promise<void> {
  await manager.query(
    `UPDATE ${SCHEMA}.exhibited_work work SET position = ordered.position::int
       FROM unnest($2::uuid[]) WITH ORDINALITY AS ordered(id, position)
      WHERE work.id = ordered.id AND work.exhibition_id = $1 AND work.position <> ordered.position`,
    [exhibitionId, ids],
  );
}

/** Takes a work off show now, with the reason; its position is freed (compactPositions closes the gap). */
export async function markWorkRemoved(manager: EntityManager, workId: string, reason: WorkRemovalReason): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.exhibited_work SET removed_at = now(), removal_reason = $2, position = NULL WHERE id = $1`, [workId, reason]);
}
