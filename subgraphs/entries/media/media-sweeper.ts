// Keeps storage and rows in step: removes stored objects no committed row references (after a grace period that
// covers requests still storing files), removes expired resumable uploads with their bytes, and reports rows whose
// objects are missing. One pass at a time across all replicas (a PostgreSQL advisory lock). It also clears the
// local temp folder of files a killed process left behind; every replica does that for its own disk, without the lock.
import fs from "node:fs/promises";
import path from "node:path";
import type { DataSource, EntityManager } from "typeorm";
import type { Queryable } from "../../../lib/database";
import { logger } from "../../../lib/logger";
import { takeExpiredUploads } from "../media-upload/media-upload.store";
import { leaseOfWorkDir } from "../video-rendition/video-rendition.service";
import type { MediaStorage } from "./storage";

const SCHEMA = "entries";

/**
 * Every column that holds a media key, as (owner table, row id, key) rows. A new kind of stored file (renditions,
 * posters, …) must be added here, or the sweeper would remove its objects as orphans.
 */
const REFERENCED_KEYS_SQL = `
  SELECT 'photo' AS owner, id, created_at, key FROM ${SCHEMA}.photo, unnest(ARRAY[original_key, display_key, thumbnail_key]) AS key
  UNION ALL
  SELECT 'micro_video', id, created_at, key FROM ${SCHEMA}.micro_video, unnest(ARRAY[video_key, poster_key]) AS key WHERE key IS NOT NULL
  UNION ALL
  SELECT 'video_rendition', video_id, created_at, key FROM ${SCHEMA}.video_rendition
  UNION ALL
  SELECT 'media_upload', id, created_at, object_key FROM ${SCHEMA}.media_upload`;

/**
 * The key prefixes the sweeper looks under: the kinds of file listed in REFERENCED_KEYS_SQL. A prefix it does not
 * know (a new kind of file) is never swept, so adding a kind cannot lose files; add it here with its columns.
 */
const SWEPT_PREFIXES = ["photos/", "videos/", "posters/", "renditions/"];
// Never among them: ".tmp/" under the media root, where uploads arrive and the renditions worker transcodes. Those
// are not stored objects; sweepTempFolder clears them by age and by the rows of live uploads and jobs.

/** Any constant: the advisory lock's name for "a media sweep is running". */
const SWEEP_LOCK = "entries.media-sweeper";
const BATCH = 1000;

export interface SweepOptions {
  /** Objects (and temp files) younger than this are left alone: a request may have stored them and not committed yet. */
  graceSeconds: number;
  now?: Date;
  /** This machine's temp folder under the media root (mediaTempRoot()); swept when given. */
  tempRoot?: string;
}

export interface SweepReport {
  /** True when another replica held the lock, so this pass did nothing. */
  skipped: boolean;
  removedOrphans: string[];
  expiredUploads: number;
  /** Rows (created before the listing began) whose object is not in storage. */
  missing: { owner: string; id: string; key: string }[];
  /** Stale temp files and work folders removed, relative to tempRoot. */
  removedTempFiles: string[];
}

export async function sweepMedia(dataSource: DataSource, storage: MediaStorage, options: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = { skipped: false, removedOrphans: [], expiredUploads: 0, missing: [], removedTempFiles: [] };
  const listingStarted = options.now ?? new Date();
  const cutoff = listingStarted.getTime() - options.graceSeconds * 1000;
  await sweepStorage(dataSource, storage, listingStarted, cutoff, report);
  // Not under the lock: each replica clears its own disk. Run after the expired uploads went (their bytes with them);
  // an expired upload another replica has not removed yet still has its row, so its bytes wait for that replica.
  if (options.tempRoot) report.removedTempFiles = await sweepTempFolder(dataSource.manager, options.tempRoot, cutoff);
  if (report.removedOrphans.length || report.expiredUploads || report.removedTempFiles.length) {
    logger.info("media sweep removed unreferenced files", {
      orphans: report.removedOrphans.length,
      expiredUploads: report.expiredUploads,
      tempFiles: report.removedTempFiles.length,
    });
  }
  if (report.missing.length) {
    logger.warn("media rows whose files are missing", { count: report.missing.length, sample: report.missing.slice(0, 10) });
  }
  return report;
}

/** The pass over stored objects, by one replica at a time: expired uploads, orphans, missing files. */
async function sweepStorage(dataSource: DataSource, storage: MediaStorage, listingStarted: Date, cutoff: number, report: SweepReport): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [SWEEP_LOCK]);
    if (!locked) {
      report.skipped = true;
      return;
    }
    try {
      report.expiredUploads = await removeExpiredUploads(dataSource.manager, storage);
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
}

/**
 * The keys among `keys` that no row references (any table of REFERENCED_KEYS_SQL). Called inside the transaction
 * that removed rows, it names the files to delete once that transaction commits; keys are generated per file, so
 * only loaded data (such as the demo's) shares one.
 */
export async function unreferencedKeys(manager: Queryable, keys: string[]): Promise<string[]> {
  if (!keys.length) return [];
  const referenced: { key: string }[] = await manager.query(`SELECT DISTINCT key FROM (${REFERENCED_KEYS_SQL}) AS referenced WHERE key = ANY($1::text[])`, [
    keys,
  ]);
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
      await storage
        .abortMultipartUpload(upload.objectKey, upload.storageUploadId)
        .catch((error) => logger.warn("could not abort an expired upload", { uploadId: upload.id, error }));
    }
    // A finished upload's object is its video when it was ATTACHED (a row references it then); an unfinished or
    // rejected one's may have been joined already.
    for (const key of await unreferencedKeys(
      manager,
      expired.map((upload) => upload.objectKey),
    ))
      await storage.delete(key);
    removed += expired.length;
    if (expired.length < 100) return removed;
  }
}

/** A disk multipart upload's bytes (LocalDiskStorage): named after the upload's storage_upload_id. */
const MULTIPART_DATA = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.data$/;
/** The renditions worker's folder for one job (workDirPrefix): removed as a whole. */
const RENDITION_WORK_DIR = /^rendition-/;

interface TempCandidate {
  path: string;
  /** The live upload (media_upload.storage_upload_id) or job lease (video_rendition_job.lease_id) that would keep it. */
  uploadId?: string;
  leaseId?: string;
}

/**
 * Removes from the temp folder what a process killed mid-request or mid-job left behind: files last written before
 * the cutoff, and renditions work folders in which nothing was written since, unless a live row still names them —
 * the bytes of an unexpired resumable upload (a venue may pause for hours), or the folder of a job whose lease is
 * held (a long transcode). Requests' own temp files carry no row: a request still using one writes to it or ends
 * within the grace period. Folders other than work folders stay (others may be about to write into them).
 */
async function sweepTempFolder(manager: Queryable, tempRoot: string, cutoff: number): Promise<string[]> {
  const candidates: TempCandidate[] = [];
  const visit = async (folder: string): Promise<void> => {
    for (const entry of await readFolder(folder)) {
      const entryPath = path.join(folder, entry.name);
      if (entry.isDirectory() && RENDITION_WORK_DIR.test(entry.name)) {
        if ((await lastWritten(entryPath)) <= cutoff) candidates.push({ path: entryPath, leaseId: leaseOfWorkDir(entry.name) ?? undefined });
      } else if (entry.isDirectory()) {
        await visit(entryPath);
      } else if (entry.isFile() && (await lastWritten(entryPath)) <= cutoff) {
        candidates.push({ path: entryPath, uploadId: MULTIPART_DATA.exec(entry.name)?.[1] });
      }
    }
  };
  await visit(tempRoot);
  if (!candidates.length) return [];
  const uploadIds = candidates.flatMap((candidate) => (candidate.uploadId ? [candidate.uploadId] : []));
  const leaseIds = candidates.flatMap((candidate) => (candidate.leaseId ? [candidate.leaseId] : []));
  const live: { id: string }[] = await manager.query(
    `SELECT storage_upload_id AS id FROM ${SCHEMA}.media_upload WHERE storage_upload_id = ANY($1::text[])
     UNION ALL SELECT lease_id::text FROM ${SCHEMA}.video_rendition_job WHERE lease_id = ANY($2::uuid[])`,
    [uploadIds, leaseIds],
  );
  const referenced = new Set(live.map((row) => row.id));
  const removed: string[] = [];
  for (const candidate of candidates) {
    if ((candidate.uploadId && referenced.has(candidate.uploadId)) || (candidate.leaseId && referenced.has(candidate.leaseId))) continue;
    await fs.rm(candidate.path, { recursive: true, force: true });
    removed.push(path.relative(tempRoot, candidate.path));
  }
  return removed;
}

async function readFolder(folder: string): Promise<import("node:fs").Dirent[]> {
  try {
    return await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    // The folder may not exist yet, or its owner removed it meanwhile.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** When anything in a file or folder was last written (ms); +Infinity when it is gone, so it is not a candidate. */
async function lastWritten(entryPath: string): Promise<number> {
  const stat = await fs.lstat(entryPath).catch(() => null);
  if (!stat) return Number.POSITIVE_INFINITY;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of await readFolder(entryPath)) latest = Math.max(latest, await lastWritten(path.join(entryPath, entry.name)));
  return latest;
}
