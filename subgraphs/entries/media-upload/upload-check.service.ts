// Responsible for the content checks of a completed resumable upload, as a job that outlives the request that
// started it: joins the parts, checks the file where it lies (magic bytes and ffprobe read only what they need;
// SHA-256 for duplicates streams the object once, with no local copy), then attaches it to its draft or rejects it
// with a coded reason and removes its bytes. The job is held by a lease in PostgreSQL that the running process
// renews; when a process dies its lease runs out and another replica's worker takes the job over.
import { createHash } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DataSource } from "typeorm";
import { codedError, ErrorCode } from "../../../lib/errors";
import { logger } from "../../../lib/logger";
import { retryDelayMs } from "../../../lib/retry";
import { Competition } from "../competition/competition.entity";
import { attachVideo, NewVideo } from "../entry/attach-video";
import { DEFAULT_MAX_VIDEO_SECONDS, inspectRemoteVideo, inspectVideo, VIDEO_HEAD_BYTES, VideoInspection } from "../media/inspect-video";
import type { MediaStorage } from "../media/storage";
import {
  finishChecks,
  holdsCheckLease,
  leaseStalledCheck,
  MediaUploadFailureRecord,
  MediaUploadRow,
  releaseCheckLease,
  renewCheckLease,
} from "./media-upload.store";

export interface UploadCheckSettings {
  /** How long a job is held; renewed every third of it while the checks run. */
  leaseMilliseconds: number;
  /** Attempts (the first, then takeovers and retries) before the upload is REJECTED as uncheckable. */
  maxAttempts: number;
  /** Delay before another attempt after an error of ours (storage unreachable…); doubled for each earlier attempt. */
  retryBaseMilliseconds: number;
}

/** Refusals that are the file's or the entry's doing: final, told to the client. Any other error is ours and retried. */
const REFUSAL_CODES = new Set<string>([ErrorCode.BAD_USER_INPUT, ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.CONFLICT, ErrorCode.PAYLOAD_TOO_LARGE]);

/** How long ffprobe's presigned URL stays valid: far longer than a probe may run. */
const PROBE_URL_SECONDS = 900;
/** A check that keeps failing is tried again at most an hour later (with few attempts, the cap is rarely reached). */
const MAX_RETRY_DELAY_MS = 3_600_000;

export class UploadCheckService {
  /** Checks running in this process, by upload id, so a completion request can wait for the one it started. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: () => MediaStorage,
    private readonly settings: UploadCheckSettings,
  ) {}

  /** Runs the checks of an upload this process holds the lease of; resolves when they end (never rejects). */
  start(upload: MediaUploadRow): Promise<void> {
    const job = this.run(upload)
      .catch((error) => logger.error("upload check job failed", { uploadId: upload.id, error }))
      .finally(() => this.running.delete(upload.id));
    this.running.set(upload.id, job);
    return job;
  }

  /** The checks of this upload if they run in this process. */
  inProgress(uploadId: string): Promise<void> | undefined {
    return this.running.get(uploadId);
  }

  /** Takes over checks whose lease ran out (their process died), one after another; resolves with how many ran. */
  async runStalled(limit = 10): Promise<number> {
    let ran = 0;
    while (ran < limit && !this.stopping.signal.aborted) {
      const upload = await leaseStalledCheck(this.dataSource.manager, this.settings.leaseMilliseconds);
      if (!upload) break;
      logger.info("taking over the checks of an upload", { uploadId: upload.id, attempt: upload.attempts });
      await this.start(upload);
      ran += 1;
    }
    return ran;
  }

  /** Stops the checks in flight and hands their leases back, so another replica continues at once. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.running.values());
  }

  private async run(upload: MediaUploadRow): Promise<void> {
    const leaseId = upload.leaseId!;
    const { leaseMilliseconds, maxAttempts } = this.settings;
    if (upload.attempts > maxAttempts) {
      // Earlier attempts ended without an outcome: their process died each time (killed, out of memory…).
      await this.reject(upload, leaseId, {
        code: ErrorCode.INTERNAL_SERVER_ERROR,
        message: "The file could not be checked: the checks stopped repeatedly before they finished. Start the upload again.",
      });
      return;
    }
    const heartbeat = setInterval(
      () => {
        renewCheckLease(this.dataSource.manager, upload.id, leaseId, leaseMilliseconds).catch((error) =>
          logger.warn("could not renew an upload check lease", { uploadId: upload.id, error }),
        );
      },
      Math.max(10, Math.floor(leaseMilliseconds / 3)),
    );
    heartbeat.unref();
    const started = Date.now();
    try {
      const video = await this.check(upload);
      const attached = await this.dataSource.transaction(async (manager) => {
        if (!(await holdsCheckLease(manager, upload.id, leaseId))) return false;
        // The failure is recorded with the other entry's id; mediaUpload shows it only to callers who may see it.
        await attachVideo(manager, video, async () => true);
        return finishChecks(manager, upload.id, leaseId, null);
      });
      if (attached) logger.info("upload checked and attached", { uploadId: upload.id, entryId: upload.entryId, checkMs: Date.now() - started });
      else logger.warn("upload check lease lost; the process that took it over finishes it", { uploadId: upload.id });
    } catch (error) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (this.stopping.signal.aborted) {
        await releaseCheckLease(this.dataSource.manager, upload.id, leaseId, { delayMs: 0, countAttempt: false });
      } else if (typeof code === "string" && REFUSAL_CODES.has(code)) {
        const extensions = (error as { extensions: { duplicateOfEntryId?: string } }).extensions;
        await this.reject(upload, leaseId, { code, message: (error as Error).message, duplicateOfEntryId: extensions.duplicateOfEntryId });
      } else if (upload.attempts >= maxAttempts) {
        logger.error("upload could not be checked; rejected", { uploadId: upload.id, attempt: upload.attempts, error });
        await this.reject(upload, leaseId, {
          code: ErrorCode.INTERNAL_SERVER_ERROR,
          message: "The file could not be checked because of an error on the server; start the upload again.",
        });
      } else {
        const delayMs = retryDelayMs(upload.attempts, { baseMs: this.settings.retryBaseMilliseconds, maxMs: MAX_RETRY_DELAY_MS });
        logger.warn("upload check attempt failed; will retry", { uploadId: upload.id, attempt: upload.attempts, retryInMs: delayMs, error });
        await releaseCheckLease(this.dataSource.manager, upload.id, leaseId, { delayMs, countAttempt: true });
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Joins the parts (unless an earlier attempt did) and judges the file by its content; throws a coded refusal. */
  private async check(upload: MediaUploadRow): Promise<NewVideo> {
    const storage = this.storage();
    if (!(await storage.stat(upload.objectKey))) await storage.completeMultipartUpload(upload.objectKey, upload.storageUploadId, upload.parts);
    const maxSeconds = await this.maxVideoSeconds();
    // The hash streams the whole object while the probe reads its head and index; a refusal stops the hash.
    const cancel = new AbortController();
    const hashing = sha256Of(storage, upload.objectKey, AbortSignal.any([cancel.signal, this.stopping.signal]));
    hashing.catch(() => undefined);
    let video: VideoInspection;
    try {
      video = await inspectStored(storage, upload.objectKey, upload.byteSize, maxSeconds);
      if (video.mimeType !== upload.contentType) {
        throw codedError(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          `The upload was declared ${upload.contentType} but its content is ${video.mimeType}; start again with the right contentType.`,
        );
      }
    } catch (error) {
      cancel.abort();
      throw error;
    }
    return {
      entryId: upload.entryId,
      durationSeconds: video.durationSeconds,
      width: video.width,
      height: video.height,
      contentType: video.mimeType,
      byteSize: upload.byteSize,
      sha256: await hashing,
      videoKey: upload.objectKey,
    };
  }

  private async maxVideoSeconds(): Promise<number> {
    const [competition] = await this.dataSource.getRepository(Competition).find({ order: { createdAt: "DESC" }, take: 1 });
    return competition?.maxVideoSeconds ?? DEFAULT_MAX_VIDEO_SECONDS;
  }

  /** Records the refusal (fenced by the lease) and, once it is recorded, removes the bytes. */
  private async reject(upload: MediaUploadRow, leaseId: string, failure: MediaUploadFailureRecord): Promise<void> {
    if (!(await finishChecks(this.dataSource.manager, upload.id, leaseId, failure))) return;
    logger.info("upload rejected by its checks", { uploadId: upload.id, code: failure.code });
    const storage = this.storage();
    await storage.delete(upload.objectKey).catch((error) => logger.error("could not remove a rejected upload", { uploadId: upload.id, error }));
    await storage
      .abortMultipartUpload(upload.objectKey, upload.storageUploadId)
      .catch((error) => logger.warn("could not abort a rejected upload", { uploadId: upload.id, error }));
  }
}

/** Hex SHA-256 of a stored object, streamed (no local copy). */
async function sha256Of(storage: MediaStorage, key: string, signal: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback();
    },
  });
  await pipeline(await storage.createReadStream(key), sink, { signal });
  return hash.digest("hex");
}

/** Magic bytes and ffprobe on the stored object: from a presigned URL with ranged reads, or the file itself on disk. */
async function inspectStored(storage: MediaStorage, key: string, byteSize: number, maxSeconds: number): Promise<VideoInspection> {
  const url = await storage.presignedReadUrl(key, PROBE_URL_SECONDS);
  if (url) {
    const chunks: Buffer[] = [];
    for await (const chunk of (await storage.createReadStream(key, { start: 0, end: Math.min(VIDEO_HEAD_BYTES, byteSize) - 1 })) as Readable)
      chunks.push(chunk as Buffer);
    return inspectRemoteVideo(Buffer.concat(chunks), url, { maxSeconds });
  }
  const local = await storage.openLocalCopy(key);
  try {
    return await inspectVideo(local.path, { maxSeconds });
  } finally {
    await local.release();
  }
}
