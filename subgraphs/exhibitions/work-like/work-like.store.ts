// The SQL of likes and views of works on show. Each change and its count move in one statement, so repeated or
// concurrent requests cannot inflate a count, and a like is counted only when its row was inserted.
import { DataSource } from "typeorm";
import { ExhibitionStatus } from "../exhibition/exhibition.entity";

const SCHEMA = "exhibitions";

/** Works that accept likes and views ($1): on show in a published exhibition ($status). */
const likeableWork = (status: string) => `
  SELECT work.id FROM ${SCHEMA}.exhibited_work work
    JOIN ${SCHEMA}.exhibition exhibition ON exhibition.id = work.exhibition_id
   WHERE work.id = $1 AND work.removed_at IS NULL AND exhibition.status = ${status} AND work.grant_version <= exhibition.grants_applied`;

/** Records the visitor's like (once); false when the work is not on public show. */
export async function insertLike(db: DataSource, workId: string, visitorId: string): Promise<boolean> {
  const [{ found }] = await db.query(
    `WITH target AS (${likeableWork("$3")}),
          inserted AS (INSERT INTO ${SCHEMA}.work_like (work_id, visitor_id) SELECT id, $2 FROM target ON CONFLICT DO NOTHING RETURNING work_id),
          counted AS (UPDATE ${SCHEMA}.exhibited_work work SET like_count = work.like_count + 1 FROM inserted WHERE work.id = inserted.work_id RETURNING work.id)
     SELECT EXISTS (SELECT 1 FROM target) AS found, (SELECT count(*) FROM counted)::int AS changed`,
    [workId, visitorId, ExhibitionStatus.PUBLISHED],
  );
  return found;
}

/** Takes the visitor's like back, if there was one (the count never goes below zero); false when the work is not on public show. */
export async function deleteLike(db: DataSource, workId: string, visitorId: string): Promise<boolean> {
  const [{ found }] = await db.query(
    `WITH target AS (${likeableWork("$3")}),
          deleted AS (DELETE FROM ${SCHEMA}.work_like liked USING target WHERE liked.work_id = target.id AND liked.visitor_id = $2 RETURNING liked.work_id),
          counted AS (UPDATE ${SCHEMA}.exhibited_work work SET like_count = GREATEST(work.like_count - 1, 0) FROM deleted WHERE work.id = deleted.work_id RETURNING work.id)
     SELECT EXISTS (SELECT 1 FROM target) AS found, (SELECT count(*) FROM counted)::int AS changed`,
    [workId, visitorId, ExhibitionStatus.PUBLISHED],
  );
  return found;
}

/** Counts one view; false when the work is not on public show. */
export async function countView(db: DataSource, workId: string): Promise<boolean> {
  const [{ found }] = await db.query(
    `WITH target AS (${likeableWork("$2")}),
          counted AS (UPDATE ${SCHEMA}.exhibited_work work SET view_count = work.view_count + 1 FROM target WHERE work.id = target.id RETURNING work.id)
     SELECT EXISTS (SELECT 1 FROM counted) AS found`,
    [workId, ExhibitionStatus.PUBLISHED],
  );
  return found;
}
