// Keeps storage and rows in step: removes stored objects no committed row references (after a grace period that
// covers requests still storing files), removes expired resumable uploads with their bytes, and reports rows whose
// objects are missing. One pass at a time across all replicas (a PostgreSQL advisory lock).
import type { DataSource, EntityManager } from "typeorm";
import { logger } from "../../../lib/logger";
import { takeExpiredUploads } from "../media-upload/media-upload.store";
import type { MediaStorage } from "./storage";

/**
 * Every column that holds a media key, as (owner table, row id, key) rows. A new kind of stored file (renditions,
 * posters, …) must be added here, or the sweeper would remove its objects as orphans.
 */
const REFERENCED_KEYS_SQL = `
  SELECT 'photo' AS owner, id, created_at, key FROM entries.photo, unnest(ARRAY[original_key, display_key, thumbnail_key]) AS key
  UNION ALL
  SELECT 'micro_video', id, created_at, key FROM entries.micro_video, unnest(ARRAY[video_key, poster_key]) AS key WHERE key IS NOT NULL
  UNION ALL
  SELECT 'video_rendition', video_id, created_at, key FROM entries.video_rendition
  UNION ALL
  SELECT 'media_upload', id, created_at, object_key FROM entries.media_upload`;

/**
 * The key prefixes the sweeper looks under: the kinds of file listed in REFERENCED_KEYS_SQL. A prefix it does not
 * know (a new kind of file) is never swept, so adding a kind cannot lose files; add it here with its columns.
 */
const SWEPT_PREFIXES = ["photos/", "videos/", "posters/", "renditions/"];
// Never among them: ".tmp/" under the media root, where uploads arrive and the renditions worker transcodes; those
// files are its own to remove (and are not stored objects at all).

/** Any constant: the advisory lock's name for "a media sweep is running". */
const SWEEP_LOCK = "entries.media-sweeper";
const BATCH = 1000;

export interface SweepOptions {
  /** Objects younger than this are left alone: a request may have stored them and not committed yet. */
  graceSeconds: number;
  now?: Date;
}

export interface SweepReport {
  /** True when another replica held the lock, so this pass did nothing. */
  skipped: boolean;
  removedOrphans: string[];
  expiredUploads: number;
  /** Rows (created before the listing began) whose object is not in storage. */
  missing: { owner: string; id: string; key: string }[];
}

export async function sweepMedia(dataSource: DataSource, storage: MediaStorage, options: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = { skipped: false, removedOrphans: [], expiredUploads: 0, missing: [] };
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [SWEEP_LOCK]);
    if (!locked) return { ...report, skipped: true };
    try {
      report.expiredUploads = await removeExpiredUploads(dataSource.manager, storage);
      const listingStarted = options.now ?? new Date();
      const cutoff = listingStarted.getTime() - options.graceSeconds * 1000;
      const stored = new Set<string>();
      let candidates: string[] = [];
      for (const prefix of SWEPT_PREFIXES) {
        for await (const object of storage.list(prefix)) {
          stored.add(object.key);
          if (object.modifiedAt.getTime() <= cutoff) candidates.push(object.key);
          if (candidates.length >= BATCH) {
            report.removedOrphans.push(...(await removeUnreferenced(dataSource.manager, storage, candidates)));
            candidates = [];
          }
        }
      }
      report.removedOrphans.push(...(await removeUnreferenced(dataSource.manager, storage, candidates)));
      // Uploads in progress have no object yet; only committed media rows must have theirs.
      const rows: SweepReport["missing"] = await dataSource.manager.query(
        `SELECT owner, id, key FROM (${REFERENCED_KEYS_SQL}) AS referenced WHERE owner <> 'media_upload' AND created_at < $1`,
        [listingStarted],
      );
      report.missing = rows.filter((row) => !stored.has(row.key));
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [SWEEP_LOCK]);
    }
  } finally {
    await runner.release();
  }
  if (report.removedOrphans.length || report.expiredUploads) {
    logger.info("media sweep removed unreferenced files", { orphans: report.removedOrphans.length, expiredUploads: report.expiredUploads });
  }
  if (report.missing.length) {
    logger.warn("media rows whose files are missing", { count: report.missing.length, sample: report.missing.slice(0, 10) });
  }
  return report;
}

/**
 * The keys among `keys` that no row references (any table of REFERENCED_KEYS_SQL). Called inside the transaction
 * that removed rows, it names the files to delete once that transaction commits; keys are generated per file, so
 * only loaded data (such as the demo's) shares one.
 */
export async function unreferencedKeys(manager: Pick<EntityManager, "query">, keys: string[]): Promise<string[]> {
  if (!keys.length) return [];
  const referenced: { key: string }[] = await manager.query(`SELECT DISTINCT key FROM (${REFERENCED_KEYS_SQL}) AS referenced WHERE key = ANY($1::text[])`, [keys]);
  const keep = new Set(referenced.map((row) => row.key));
  return [...new Set(keys)].filter((key) => !keep.has(key));
}

async function removeUnreferenced(manager: EntityManager, storage: MediaStorage, keys: string[]): Promise<string[]> {
  const orphans = await unreferencedKeys(manager, keys);
  for (const key of orphans) await storage.delete(key);
  return orphans;
}

async function removeExpiredUploads(manager: EntityManager, storage: MediaStorage): Promise<number> {
  let removed = 0;
  for (;;) {
    const expired = await takeExpiredUploads(manager, 100);
    for (const upload of expired) {
      await storage.abortMultipartUpload(upload.objectKey, upload.storageUploadId).catch((error) => logger.warn("could not abort an expired upload", { uploadId: upload.id, error }));
      // A completion that stalled may have joined the parts already.
      await storage.delete(upload.objectKey);
    }
    removed += expired.length;
    if (expired.length < 100) return removed;
  }
}
