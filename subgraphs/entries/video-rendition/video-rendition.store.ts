// The SQL of the video rendition queue (entries.video_rendition_job) and of the rendition rows it produces.
// A job is leased by moving next_attempt_at past now under FOR UPDATE SKIP LOCKED, so two replicas never take the
// same job, and a job whose process died becomes due again when its lease runs out. Every write after the lease is
// fenced by the lease id: a worker that lost its lease (it was too slow, another took over) changes nothing.
import type { DataSource, EntityManager } from "typeorm";
import { MediaStatus } from "../entry/entry.entity";
import type { StreamRendition } from "../media/rendition-plan";
import { rowsOf } from "../../../lib/database";

const SCHEMA = "entries";

/**
 * Call in the transaction that attaches a video (uploadVideo, completeMediaUpload): the job commits with the
 * video row or not at all, so no stored video is left without renditions.
 */
export async function enqueueVideoRenditions(manager: EntityManager, videoId: string): Promise<void> {
  await manager.query(
    `INSERT INTO ${SCHEMA}.video_rendition_job (video_id) VALUES ($1)
     ON CONFLICT (video_id) DO UPDATE SET attempts = 0, next_attempt_at = now(), lease_id = NULL, last_error = NULL`,
    [videoId],
  );
  await manager.query(`UPDATE ${SCHEMA}.micro_video SET status = $2, failure_reason = NULL WHERE id = $1`, [videoId, MediaStatus.PROCESSING]);
}

export interface LeasedRenditionJob {
  videoId: string;
  leaseId: string;
  /** This attempt's number, from 1. */
  attempt: number;
  videoKey: string;
  width: number;
  height: number;
  durationSeconds: number;
}

export interface MadeRendition {
  rendition: StreamRendition;
  key: string;
  width: number;
  height: number;
  byteSize: number;
}

export class VideoRenditionStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes the oldest due job for leaseMs, counting the attempt; null when none is due. */
  async lease(leaseMs: number): Promise<LeasedRenditionJob | null> {
    const result = await this.dataSource.query(
      `UPDATE ${SCHEMA}.video_rendition_job job
          SET attempts = job.attempts + 1, lease_id = gen_random_uuid(), next_attempt_at = now() + make_interval(secs => $1::double precision / 1000)
         FROM ${SCHEMA}.micro_video video
        WHERE video.id = job.video_id
          AND job.video_id = (SELECT video_id FROM ${SCHEMA}.video_rendition_job WHERE next_attempt_at <= now()
                               ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING job.video_id, job.lease_id, job.attempts, video.video_key, video.width, video.height, video.duration_seconds`,
      [leaseMs],
    );
    const rows = rowsOf<Record<string, unknown>>(result);
    const row = rows[0];
    if (!row) return null;
    return {
      videoId: row.video_id as string,
      leaseId: row.lease_id as string,
      attempt: row.attempts as number,
      videoKey: row.video_key as string,
      width: row.width as number,
      height: row.height as number,
      durationSeconds: row.duration_seconds as number,
    };
  }

  /** Extends a lease while the work goes on; false when it was lost. */
  async renew(job: LeasedRenditionJob, leaseMs: number): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE ${SCHEMA}.video_rendition_job SET next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE video_id = $1 AND lease_id = $2 RETURNING video_id`,
      [job.videoId, job.leaseId, leaseMs],
    );
    return rowsOf(result).length > 0;
  }

  /**
   * Records the renditions and the poster, marks the video READY and ends the job, in one transaction.
   * Returns the poster key it replaced (to delete once committed), or false when the lease was lost.
   */
  async complete(job: LeasedRenditionJob, renditions: MadeRendition[], posterKey: string | null): Promise<{ replacedKeys: string[] } | false> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.holdsLease(manager, job))) return false;
      const [video] = await manager.query(`SELECT poster_key FROM ${SCHEMA}.micro_video WHERE id = $1 FOR UPDATE`, [job.videoId]);
      const previous = rowsOf<{ key: string }>(await manager.query(`DELETE FROM ${SCHEMA}.video_rendition WHERE video_id = $1 RETURNING key`, [job.videoId]));
      for (const rendition of renditions) {
        await manager.query(`INSERT INTO ${SCHEMA}.video_rendition (video_id, rendition, key, width, height, byte_size) VALUES ($1, $2, $3, $4, $5, $6)`, [
          job.videoId,
          rendition.rendition,
          rendition.key,
          rendition.width,
          rendition.height,
          rendition.byteSize,
        ]);
      }
      await manager.query(`UPDATE ${SCHEMA}.micro_video SET status = $2, failure_reason = NULL, poster_key = $3 WHERE id = $1`, [
        job.videoId,
        MediaStatus.READY,
        posterKey,
      ]);
      await manager.query(`DELETE FROM ${SCHEMA}.video_rendition_job WHERE video_id = $1`, [job.videoId]);
      const replaced = previous.map((row) => row.key);
      if (video?.poster_key && video.poster_key !== posterKey) replaced.push(video.poster_key);
      // A file another row still uses stays (keys are generated per file; only loaded data such as the demo's share files).
      const unused: { key: string }[] = await manager.query(
        `SELECT key FROM unnest($1::text[]) AS replaced(key)
          WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}.video_rendition WHERE key = replaced.key)
            AND NOT EXISTS (SELECT 1 FROM ${SCHEMA}.micro_video WHERE poster_key = replaced.key OR video_key = replaced.key)`,
        [replaced],
      );
      return { replacedKeys: unused.map((row) => row.key) };
    });
  }

  /** Schedules another attempt after delayMs. */
  async retryLater(job: LeasedRenditionJob, delayMs: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${SCHEMA}.video_rendition_job
          SET lease_id = NULL, last_error = $3, next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
        WHERE video_id = $1 AND lease_id = $2`,
      [job.videoId, job.leaseId, error.slice(0, 2000), delayMs],
    );
  }

  /** Gives up: the video is FAILED with a reason the venue can read, and the job ends. */
  async fail(job: LeasedRenditionJob, reason: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.holdsLease(manager, job))) return false;
      await manager.query(`UPDATE ${SCHEMA}.micro_video SET status = $2, failure_reason = $3 WHERE id = $1`, [job.videoId, MediaStatus.FAILED, reason]);
      await manager.query(`DELETE FROM ${SCHEMA}.video_rendition_job WHERE video_id = $1`, [job.videoId]);
      return true;
    });
  }

  /** Hands the job back at once without counting the attempt (the process is shutting down). */
  async release(job: LeasedRenditionJob): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${SCHEMA}.video_rendition_job SET lease_id = NULL, attempts = greatest(attempts - 1, 0), next_attempt_at = now()
        WHERE video_id = $1 AND lease_id = $2`,
      [job.videoId, job.leaseId],
    );
  }

  private async holdsLease(manager: EntityManager, job: LeasedRenditionJob): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM ${SCHEMA}.video_rendition_job WHERE video_id = $1 AND lease_id = $2 FOR UPDATE`, [
      job.videoId,
      job.leaseId,
    ]);
    return rows.length > 0;
  }
}
