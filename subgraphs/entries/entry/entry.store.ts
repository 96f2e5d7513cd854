// The SQL of entries that the repository does not write for us: creating one once per idempotency key, what a
// submission must count of its media, the statistics organisers and partners read, and the changes to a draft's
// photos and video (removing them, ordering photos, retrying a video's renditions). The rules (who may, the entrant
// cap, the submission window, what a complete entry is, what media an entry takes) live in entry.service.ts and
// entry-media.service.ts; values travel as parameters.
import { DataSource, EntityManager } from "typeorm";
import { rowsOf, type Queryable } from "../../../lib/database";
import { EntryKind, EntryStatus, MediaStatus } from "./entry.entity";
import { EntryStatsGroup } from "./entry.inputs";
import type { EntryStat } from "./entry.types";

const SCHEMA = "entries";

export interface NewEntryRow {
  competitionId: string;
  venueId: string;
  organizationId: string | undefined;
  entrantId: string;
  theme: string;
  kind: EntryKind;
  title: string;
  description: string | null | undefined;
  creditName: string;
  country: string;
  consentToPublication: boolean;
  idempotencyKey: string | null;
}

/** Inserts a DRAFT entry; undefined when another with the same idempotency key (of the same venue) is already there. */
export async function insertEntry(manager: EntityManager, row: NewEntryRow): Promise<string | undefined> {
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO ${SCHEMA}.entry (competition_id, venue_id, organization_id, entrant_id, theme_code, kind, status, title, description,
       credit_name, country, consent_to_publication, consent_to_rules, declares_no_generative_ai, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $13, $7, $8, $9, $10, $11, true, true, $12)
     ON CONFLICT ON CONSTRAINT entry_idempotency_key_unique DO NOTHING
     RETURNING id`,
    [
      row.competitionId,
      row.venueId,
      row.organizationId,
      row.entrantId,
      row.theme,
      row.kind,
      row.title,
      row.description,
      row.creditName,
      row.country,
      row.consentToPublication,
      row.idempotencyKey,
      EntryStatus.DRAFT,
    ],
  );
  return inserted[0]?.id;
}

/** The entry a venue created with this idempotency key, if any. */
export async function entryIdByIdempotencyKey(manager: EntityManager, venueId: string, key: string): Promise<string | undefined> {
  const rows: { id: string }[] = await manager.query(`SELECT id FROM ${SCHEMA}.entry WHERE venue_id = $1 AND idempotency_key = $2`, [venueId, key]);
  return rows[0]?.id;
}

/** What a submission checks of an entry's media: its photo and video counts, and its video's status and failure. */
export async function mediaOfEntry(
  manager: EntityManager,
  entryId: string,
): Promise<{ photos: number; videos: number; videoStatus: MediaStatus | null; failureReason: string | null }> {
  const [row] = await manager.query(
    `SELECT (SELECT count(*)::int FROM ${SCHEMA}.photo WHERE entry_id = $1) AS photos,
            (SELECT count(*)::int FROM ${SCHEMA}.micro_video WHERE entry_id = $1) AS videos,
            (SELECT status FROM ${SCHEMA}.micro_video WHERE entry_id = $1) AS "videoStatus",
            (SELECT failure_reason FROM ${SCHEMA}.micro_video WHERE entry_id = $1) AS "failureReason"`,
    [entryId],
  );
  return row;
}

/** The grouping column of each statistics view (a fixed expression per group, never caller text). */
const STATS_KEY: Record<EntryStatsGroup, string> = {
  [EntryStatsGroup.VENUE]: "entry.venue_id::text",
  [EntryStatsGroup.THEME]: "entry.theme_code",
  [EntryStatsGroup.COUNTRY]: "entry.country",
  [EntryStatsGroup.KIND]: "entry.kind",
  [EntryStatsGroup.STATUS]: "entry.status",
};

/** Entries, submitted entries, photos and videos per group, of every organisation or of one. */
export function entryStats(db: DataSource, groupBy: EntryStatsGroup, organizationId: string | null): Promise<EntryStat[]> {
  const params: unknown[] = organizationId ? [EntryStatus.SUBMITTED, organizationId] : [EntryStatus.SUBMITTED];
  const scope = organizationId ? "WHERE entry.organization_id = $2" : "";
  return db.query(
    `SELECT ${STATS_KEY[groupBy]} AS key, count(*)::int AS count,
            (count(*) FILTER (WHERE entry.status = $1))::int AS submitted,
            COALESCE(sum(photo_counts.photos), 0)::int AS photos,
            count(video.id)::int AS videos
       FROM ${SCHEMA}.entry entry
       LEFT JOIN (SELECT entry_id, count(*) AS photos FROM ${SCHEMA}.photo GROUP BY entry_id) photo_counts ON photo_counts.entry_id = entry.id
       LEFT JOIN ${SCHEMA}.micro_video video ON video.entry_id = entry.id
       ${scope}
      GROUP BY 1 ORDER BY count DESC, key`,
    params,
  );
}

/** The entry a photo belongs to, if the photo exists. */
export async function entryIdOfPhoto(db: Queryable, photoId: string): Promise<string | undefined> {
  const [photo] = (await db.query(`SELECT entry_id FROM ${SCHEMA}.photo WHERE id = $1`, [photoId])) as { entry_id: string }[];
  return photo?.entry_id;
}

/** Deletes one photo of the entry and returns its three file keys; undefined when the entry has no such photo. */
export async function deletePhoto(manager: Queryable, entryId: string, photoId: string): Promise<string[] | undefined> {
  const [removed] = rowsOf<{ original_key: string; display_key: string; thumbnail_key: string }>(
    await manager.query(`DELETE FROM ${SCHEMA}.photo WHERE id = $1 AND entry_id = $2 RETURNING original_key, display_key, thumbnail_key`, [photoId, entryId]),
  );
  return removed ? [removed.original_key, removed.display_key, removed.thumbnail_key] : undefined;
}

/** The ids of the entry's photos, in their order. */
export async function photoIdsInOrder(manager: Queryable, entryId: string): Promise<string[]> {
  const photos: { id: string }[] = await manager.query(`SELECT id FROM ${SCHEMA}.photo WHERE entry_id = $1 ORDER BY position`, [entryId]);
  return photos.map((row) => row.id);
}

/** Numbers the entry's photos 1..n in the given order. Positions are unique per entry, so they move out of the way first. */
export async function writePhotoOrder(manager: Queryable, entryId: string, orderedIds: string[]): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.photo SET position = position + 1000000 WHERE entry_id = $1`, [entryId]);
  await manager.query(
    `UPDATE ${SCHEMA}.photo photo SET position = ordered.position
       FROM unnest($2::uuid[]) WITH ORDINALITY AS ordered(id, position)
      WHERE photo.entry_id = $1 AND photo.id = ordered.id`,
    [entryId, orderedIds],
  );
}

/** Of these file keys, those no photo uses. */
export async function keysNoPhotoUses(manager: Queryable, keys: string[]): Promise<string[]> {
  const unused: { key: string }[] = await manager.query(
    `SELECT key FROM unnest($1::text[]) AS removed(key)
      WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}.photo WHERE original_key = removed.key OR display_key = removed.key OR thumbnail_key = removed.key)`,
    [keys],
  );
  return unused.map((row) => row.key);
}

/** How many photos the entry has, and the last position among them (0 when none). */
export async function photoCountAndLastPosition(manager: Queryable, entryId: string): Promise<{ count: number; last: number }> {
  const [counted] = (await manager.query(`SELECT count(*)::int AS count, COALESCE(max(position), 0)::int AS last FROM ${SCHEMA}.photo WHERE entry_id = $1`, [
    entryId,
  ])) as { count: number; last: number }[];
  return counted;
}

/** The id of the entry's video, if it has one. */
export async function videoIdOfEntry(manager: Queryable, entryId: string): Promise<string | undefined> {
  const [video] = rowsOf<{ id: string }>(await manager.query(`SELECT id FROM ${SCHEMA}.micro_video WHERE entry_id = $1`, [entryId]));
  return video?.id;
}

/**
 * Locks the video's rendition job row, if there is one. The job row is locked before the video, as the rendition
 * worker locks them, so no deadlock with a job finishing.
 */
export async function lockRenditionJob(manager: Queryable, videoId: string): Promise<void> {
  await manager.query(`SELECT 1 FROM ${SCHEMA}.video_rendition_job WHERE video_id = $1 FOR UPDATE`, [videoId]);
}

/** Locks the video row and returns its status; undefined when the video is gone. */
export async function lockVideoStatus(manager: Queryable, videoId: string): Promise<MediaStatus | undefined> {
  const [locked] = rowsOf<{ status: MediaStatus }>(await manager.query(`SELECT status FROM ${SCHEMA}.micro_video WHERE id = $1 FOR UPDATE`, [videoId]));
  return locked?.status;
}

/** The file keys of the video's renditions. */
export async function renditionKeysOfVideo(manager: Queryable, videoId: string): Promise<string[]> {
  return rowsOf<{ key: string }>(await manager.query(`SELECT key FROM ${SCHEMA}.video_rendition WHERE video_id = $1`, [videoId])).map((row) => row.key);
}

/** Deletes the video (its renditions and job go with it, by cascade) and returns its original's and poster's keys. */
export async function deleteVideo(manager: Queryable, videoId: string): Promise<{ videoKey: string; posterKey: string | null }> {
  const [removed] = rowsOf<{ video_key: string; poster_key: string | null }>(
    await manager.query(`DELETE FROM ${SCHEMA}.micro_video WHERE id = $1 RETURNING video_key, poster_key`, [videoId]),
  );
  return { videoKey: removed.video_key, posterKey: removed.poster_key };
}

/** Marks the entry changed now. */
export async function markEntryChanged(manager: Queryable, entryId: string): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.entry SET updated_at = now() WHERE id = $1`, [entryId]);
}
