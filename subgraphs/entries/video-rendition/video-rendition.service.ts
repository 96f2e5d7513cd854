// Responsible for turning a leased rendition job into stored renditions: reads the original through MediaStorage
// (so any driver works), transcodes it off the request path, stores the files, and records them in one transaction;
// retries a failed attempt with backoff and, after the last, reports the video FAILED with a reason (never silently).
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { logger } from "../../../lib/logger";
import { retryDelayMs } from "../../../lib/retry";
import { metrics } from "../../../lib/metrics";
import { newMediaKey, MediaStorage } from "../media/storage";
import { makeVideoRenditions, TranscodeError } from "../media/transcode-video";
import { LeasedRenditionJob, MadeRendition, VideoRenditionStore } from "./video-rendition.store";

export interface VideoRenditionSettings {
  /** How long a job is held; renewed every third of it while the work goes on. */
  leaseMilliseconds: number;
  maxAttempts: number;
  retryBaseMilliseconds: number;
  /** Per ffmpeg run. */
  timeoutMilliseconds: number;
  /** Where sources and outputs are written while a job runs (a folder per job, removed afterwards). */
  workDir: string;
}

const MAX_RETRY_DELAY_MS = 3_600_000;

/** What the venue reads in MicroVideo.failureReason: the cause, never ffmpeg's output (it can quote the file's metadata). */
export function failureReasonFor(error: unknown, timeoutMilliseconds: number): string {
  if (error instanceof TranscodeError) {
    if (error.failure === "decode")
      return "The video could not be converted for streaming: its picture or sound could not be decoded. Export it again as MP4 (H.264/AAC) and upload it again.";
    if (error.failure === "timeout") return `Converting the video for streaming took longer than the limit of ${Math.round(timeoutMilliseconds / 1000)} s.`;
  }
  if ((error as { extensions?: { code?: string } })?.extensions?.code === "NOT_FOUND") return "The uploaded original could not be read from storage.";
  return "The video could not be converted for streaming because of an error on the server; the organisers can find the details in the service log.";
}

const LEASE_IN_WORK_DIR = /^rendition-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-/;

/** A job's work folder is named after its lease, so the media sweeper can tell a running job's folder from a dead process's. */
export function workDirPrefix(leaseId: string): string {
  return `rendition-${leaseId}-`;
}

/** The lease a work folder was made for; null for a name that carries none. */
export function leaseOfWorkDir(name: string): string | null {
  return LEASE_IN_WORK_DIR.exec(name)?.[1] ?? null;
}

export class VideoRenditionService {
  constructor(
    private readonly store: VideoRenditionStore,
    private readonly storage: () => MediaStorage,
    private readonly settings: VideoRenditionSettings,
  ) {}

  /** Runs due jobs one after another until none is due (or `limit` ran); resolves with how many ran. */
  async runDue(signal?: AbortSignal, limit = 10): Promise<number> {
    let ran = 0;
    while (ran < limit && !signal?.aborted && (await this.runOne(signal))) ran += 1;
    return ran;
  }

  /** Leases and runs one due job; false when none was due. */
  async runOne(signal?: AbortSignal): Promise<boolean> {
    const { leaseMilliseconds, maxAttempts } = this.settings;
    const job = await this.store.lease(leaseMilliseconds);
    if (!job) return false;
    if (job.attempt > maxAttempts) {
      // Earlier attempts ended without recording anything: their process died (a crash, or killed mid-transcode).
      await this.giveUp(
        job,
        "The video could not be converted for streaming: the conversion stopped repeatedly before it finished.",
        new Error("attempts exhausted without a result"),
      );
      return true;
    }
    const heartbeat = setInterval(
      () => {
        this.store.renew(job, leaseMilliseconds).catch((error) => logger.warn("could not renew a video rendition lease", { videoId: job.videoId, error }));
      },
      Math.max(10, Math.floor(leaseMilliseconds / 3)),
    );
    heartbeat.unref();
    const storage = this.storage();
    const stored: string[] = [];
    await fs.mkdir(this.settings.workDir, { recursive: true });
    const dir = await fs.mkdtemp(path.join(this.settings.workDir, workDirPrefix(job.leaseId)));
    try {
      const made = await this.transcodeAndStore(job, dir, storage, stored, signal);
      const done = await this.store.complete(job, made.renditions, made.posterKey);
      if (!done) {
        logger.warn("video rendition lease lost; discarding this attempt's files", { videoId: job.videoId });
        await this.remove(storage, stored);
        return true;
      }
      // Only now that the new rows are committed may the files they replaced go.
      await this.remove(storage, done.replacedKeys);
      logger.info("video renditions ready", {
        videoId: job.videoId,
        attempt: job.attempt,
        renditions: made.renditions.map((rendition) => rendition.rendition),
      });
    } catch (error) {
      await this.remove(storage, stored);
      if (signal?.aborted) {
        await this.store.release(job);
      } else if (job.attempt >= maxAttempts) {
        await this.giveUp(job, failureReasonFor(error, this.settings.timeoutMilliseconds), error);
      } else {
        const delay = retryDelayMs(job.attempt, { baseMs: this.settings.retryBaseMilliseconds, maxMs: MAX_RETRY_DELAY_MS });
        logger.warn("video rendition attempt failed; will retry", { videoId: job.videoId, attempt: job.attempt, retryInMs: delay, error });
        await this.store.retryLater(job, delay, errorText(error));
      }
    } finally {
      clearInterval(heartbeat);
      await fs.rm(dir, { recursive: true, force: true });
    }
    return true;
  }

  private async transcodeAndStore(job: LeasedRenditionJob, dir: string, storage: MediaStorage, stored: string[], signal?: AbortSignal) {
    const options = { timeoutMs: this.settings.timeoutMilliseconds, signal };
    const source = path.join(dir, "source");
    await pipeline(await storage.createReadStream(job.videoKey), createWriteStream(source));
    const { renditions: outputs, posterPath } = await makeVideoRenditions(source, job, dir, options);
    const renditions: MadeRendition[] = [];
    for (const output of outputs) {
      const key = newMediaKey("renditions", "mp4");
      const stat = await storage.moveFile(key, output.path);
      stored.push(key);
      renditions.push({ rendition: output.rendition, key, width: output.width, height: output.height, byteSize: stat.bytes });
    }
    const posterKey = newMediaKey("posters", "jpg");
    await storage.moveFile(posterKey, posterPath);
    stored.push(posterKey);
    return { renditions, posterKey };
  }

  private async giveUp(job: LeasedRenditionJob, reason: string, error: unknown): Promise<void> {
    if (!(await this.store.fail(job, reason))) return;
    metrics.videoRenditionsFailed.inc();
    logger.error("video renditions failed; the video is reported FAILED", { videoId: job.videoId, attempt: job.attempt, reason, error });
  }

  private async remove(storage: MediaStorage, keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => storage.delete(key).catch((error) => logger.error("could not remove media", { key, error }))));
  }
}

function errorText(error: unknown): string {
  return error instanceof TranscodeError ? `${error.failure}: ${error.detail}` : String((error as Error)?.message ?? error);
}
