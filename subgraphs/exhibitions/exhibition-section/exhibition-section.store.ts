// The SQL of an exhibition's sections: counting and keeping their positions 1..n without gaps.
import { EntityManager } from "typeorm";

const SCHEMA = "exhibitions";

export async function sectionCount(manager: EntityManager, exhibitionId: string): Promise<number> {
  const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM ${SCHEMA}.exhibition_section WHERE exhibition_id = $1`, [exhibitionId]);
  return count;
}

/** Makes room at `position` (the unique position is checked at commit, so shifting the others first is safe). */
export async function makeRoomAt(manager: EntityManager, exhibitionId: string, position: number): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.exhibition_section SET position = position + 1 WHERE exhibition_id = $1 AND position >= $2`, [exhibitionId, position]);
}

/** Shifts the sections between a section's old and new position by one, towards the old one. */
export async function shiftForMove(manager: EntityManager, exhibitionId: string, sectionId: string, from: number, to: number): Promise<void> {
  await manager.query(
    `UPDATE ${SCHEMA}.exhibition_section SET position = position + CASE WHEN $2::int < $3::int THEN 1 ELSE -1 END
      WHERE exhibition_id = $1 AND position BETWEEN LEAST($2::int, $3::int) AND GREATEST($2::int, $3::int) AND id <> $4`,
    [exhibitionId, to, from, sectionId],
  );
}

/** Leaves the section's works in the exhibition, in no section. */
export async function unsectionWorks(manager: EntityManager, sectionId: string): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.exhibited_work SET section_id = NULL WHERE section_id = $1`, [sectionId]);
}

/** Closes the gap a removed section left at `position`. */
export async function closeGapAt(manager: EntityManager, exhibitionId: string, position: number): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.exhibition_section SET position = position - 1 WHERE exhibition_id = $1 AND position > $2`, [exhibitionId, position]);
}
