// Responsible for an entry's media: receiving uploads as streams, judging them by content, storing the
// original and its derived sizes, and recording them — all or nothing, with no file or row left behind on failure.
import type { FileUpload } from "graphql-upload/processRequest.mjs";
import { DataSource, EntityManager } from "typeorm";
import { Viewer } from "../../../lib/auth";
import { RequestContext } from "../../../lib/context";
import { config } from "../../../lib/config";
import { badInput, codedError, conflict, ErrorCode, forbidden, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { logger } from "../../../lib/logger";
import type { Competition } from "../competition/competition.entity";
import type { CompetitionService } from "../competition/competition.service";
import type { EntriesLoaders } from "../loaders";
import { deriveImageSizes } from "../media/derive-image";
import { inspectImage } from "../media/inspect-image";
import { inspectVideo } from "../media/inspect-video";
import { mediaStorage, signedMediaUrl, signedUploadPartUrl, uploadTempDir } from "../media/media-store";
import { receiveUpload, ReceivedUpload } from "../media/receive";
import { unreferencedKeys } from "../media/media-sweeper";
import { newMediaKey } from "../media/storage";
import { choosePartBytes, missingParts, partCount, partPlacement } from "../media-upload/media-upload.plan";
import {
  checkingUploadOfEntry,
  claimForChecks,
  findUpload,
  insertUpload,
  MediaUploadFailureRecord,
  MediaUploadRow,
  removeOpenUploadOfEntry,
} from "../media-upload/media-upload.store";
import { MediaUpload, MediaUploadStatus, StartMediaUploadInput } from "../media-upload/media-upload.types";
import { uploadChecks } from "../media-upload/upload-check.worker";
import { attachVideo, DUPLICATE_MESSAGE, findDuplicateContent, lockDraft } from "./attach-video";
import { enqueueVideoRenditions } from "../video-rendition/video-rendition.store";
import { Entry, EntryKind, EntryStatus, MediaStatus, MicroVideo, Photo, VideoRendition, VideoRenditionFile } from "./entry.entity";
import {
  deletePhoto,
  deleteVideo,
  entryIdOfPhoto,
  keysNoPhotoUses,
  lockRenditionJob,
  lockVideoStatus,
  markEntryChanged,
  photoCountAndLastPosition,
  photoIdsInOrder,
  renditionKeysOfVideo,
  videoIdOfEntry,
  writePhotoOrder,
} from "./entry.store";
import { entriesPolicy, mayEdit, mayFetchOriginalMedia } from "../entries.visibility";

/** Keys written so far by one request, deleted again if the request does not commit. */
class StoredKeys {
  constructor(readonly keys: string[] = []) {}

  /** Stores a buffer, or takes over a received temp file (moved, not copied). */
  async put(key: string, body: Buffer | string): Promise<string> {
    if (typeof body === "string") await mediaStorage().moveFile(key, body);
    else await mediaStorage().put(key, body);
    this.keys.push(key);
    return key;
  }

  async removeAll(): Promise<void> {
    await Promise.all(
      this.keys.map((key) =>
        mediaStorage()
          .delete(key)
          .catch((error) => logger.error("could not remove media", { key, error })),
      ),
    );
  }
}

/** Far more than any photo set holds; a longer list is refused before it reaches SQL. */
const MAX_PHOTO_IDS = 100;

export class EntryMediaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: EntriesLoaders,
    private readonly context: RequestContext,
    private readonly competitions: CompetitionService,
  ) {}

  /** Checks the caller may add media to the entry now; returns the entry and the competition. */
  private async editableEntry(
    entryId: string,
    kinds: EntryKind[],
    missing = () => notFound("Entry", entryId),
  ): Promise<{ entry: Entry; competition: Competition; viewer: Viewer }> {
    const { entry, viewer } = await this.ownedEntry(entryId, missing);
    if (entry.status !== EntryStatus.DRAFT) throw conflict(`Media can only be added to a DRAFT entry; this one is ${entry.status}.`, { status: entry.status });
    if (!kinds.includes(entry.kind)) throw badInput(`A ${entry.kind} entry does not take this kind of media.`, { kind: entry.kind });
    const competition = await this.competitions.current();
    this.competitions.assertWindowOpen(competition);
    return { entry, competition, viewer };
  }

  /** An entry the caller may change the media of: the submitting venue, its organisation or an organiser. */
  private async ownedEntry(entryId: string, missing = () => notFound("Entry", entryId)): Promise<{ entry: Entry; viewer: Viewer }> {
    const viewer = entriesPolicy.assertCan(this.context, "entry:upload-media");
    const entry = await this.loaders.entry.load(parseId(entryId, "entryId"));
    if (!entry) throw missing();
    if (!mayEdit(viewer, entry)) throw forbidden("Only the submitting venue, its organisation or an organiser can change this entry's media.");
    return { entry, viewer };
  }

  /**
   * The signed URL of one file of a video, or null while there is none to give. ORIGINAL (metadata intact) only
   * for those mayFetchOriginalMedia allows, FORBIDDEN otherwise; the streaming renditions only once READY, so a
   * judge or the public never receives the original, not even while the renditions are being made.
   */
  async videoUrl(video: MicroVideo, rendition: VideoRendition): Promise<string | null> {
    if (rendition === VideoRendition.ORIGINAL) {
      const entry = await this.loaders.entry.load(video.entryId);
      if (!entry || !mayFetchOriginalMedia(this.context.viewer, entry)) {
        throw forbidden("The original video can be downloaded by organisers and the submitting venue or its organisation only; ask for rendition STREAM.");
      }
      return signedMediaUrl(video.videoKey);
    }
    const files = await this.videoRenditions(video);
    // STREAM_1080P falls back to the largest file there is when the source had no 1080 lines.
    const file =
      files.find((candidate) => candidate.rendition === rendition) ??
      (rendition === VideoRendition.STREAM_1080P ? files.find((candidate) => candidate.rendition === VideoRendition.STREAM) : undefined);
    return file ? signedMediaUrl(file.key) : null;
  }

  /** The poster frame, made by the rendition job from the stripped STREAM file: null until the video is READY. */
  videoPosterUrl(video: MicroVideo): string | null {
    return video.status === MediaStatus.READY && video.posterKey ? signedMediaUrl(video.posterKey) : null;
  }

  /** The streaming files made so far; none until the video is READY. */
  async videoRenditions(video: MicroVideo): Promise<VideoRenditionFile[]> {
    return video.status === MediaStatus.READY ? this.loaders.renditionsByVideo.load(video.id) : [];
  }

  /** Refuses a file whose exact content is already in the competition (or twice in this request). */
  private async assertNotDuplicate(manager: EntityManager, sha256s: string[]): Promise<void> {
    const duplicateOf = await findDuplicateContent(manager, sha256s);
    if (duplicateOf) throw conflict(DUPLICATE_MESSAGE, { duplicateOfEntryId: (await this.mayReveal(duplicateOf)) ? duplicateOf : undefined });
  }

  /** Whether the caller may learn that this entry exists (it holds the content they sent again). */
  private readonly mayReveal = async (entryId: string): Promise<boolean> => Boolean(await this.loaders.entry.load(entryId));

  /**
   * Removes one photo from a DRAFT photo entry (owner or organiser, submission window open) and closes the gap in
   * the order. Its three files are deleted only after the change has committed: a rollback leaves them in place.
   */
  async removePhoto(photoId: string): Promise<Entry> {
    const id = parseId(photoId, "photoId");
    // A photo of an entry the caller cannot see is NOT_FOUND as a photo, naming nothing about its entry.
    const photoEntryId = await entryIdOfPhoto(this.dataSource, id);
    if (!photoEntryId) throw notFound("Photo", photoId);
    const { entry } = await this.editableEntry(photoEntryId, [EntryKind.PHOTO_SET, EntryKind.SINGLE_PHOTO], () => notFound("Photo", photoId));
    const { keys, saved } = await this.dataSource.transaction(async (manager) => {
      await lockDraft(manager, entry.id);
      const removedKeys = await deletePhoto(manager, entry.id, id);
      if (!removedKeys) throw notFound("Photo", photoId);
      await writePhotoOrder(manager, entry.id, await photoIdsInOrder(manager, entry.id));
      // A file another row still uses stays (keys are generated per upload; only loaded data such as the demo's share files).
      return { keys: await keysNoPhotoUses(manager, removedKeys), saved: await this.touch(manager, entry.id) };
    });
    await new StoredKeys(keys).removeAll();
    return saved;
  }

  /**
   * Removes the video of a DRAFT micro-video entry (owner or organiser, submission window open), whatever its status
   * — a FAILED one in particular, so the venue can upload the file again. The original, the renditions and the
   * poster are deleted only after the change has committed: a rollback leaves them in place. A rendition job still
   * queued or running goes with the row; a worker in the middle of it finds its lease gone and drops what it made.
   */
  async removeVideo(entryId: string): Promise<Entry> {
    const { entry } = await this.editableEntry(entryId, [EntryKind.MICRO_VIDEO]);
    const { keys, saved } = await this.dataSource.transaction(async (manager) => {
      await lockDraft(manager, entry.id);
      const videoId = await videoIdOfEntry(manager, entry.id);
      if (!videoId) throw codedError(ErrorCode.NOT_FOUND, `Entry ${entryId} has no video to remove.`);
      // The job row first, then the video (the cascade), as the worker locks them: no deadlock with a job finishing.
      await lockRenditionJob(manager, videoId);
      const renditionKeys = await renditionKeysOfVideo(manager, videoId);
      const removed = await deleteVideo(manager, videoId);
      const candidates = [removed.videoKey, removed.posterKey, ...renditionKeys].filter((key): key is string => Boolean(key));
      return { keys: await unreferencedKeys(manager, candidates), saved: await this.touch(manager, entry.id) };
    });
    this.loaders.videoByEntry.clear(entry.id);
    await new StoredKeys(keys).removeAll();
    return saved;
  }

  /**
   * Makes the renditions of a FAILED video again, from the same original: the way back to READY for a video whose
   * renditions failed for a passing cause (a full disk, a timeout on a busy machine) after its entry was submitted,
   * when it can no longer be replaced. Owner or organiser, for a DRAFT or SUBMITTED entry; the file does not change, so
   * the submission window does not apply. The job starts again with its full count of attempts.
   */
  async retryVideoRenditions(entryId: string): Promise<MicroVideo> {
    const { entry } = await this.ownedEntry(entryId);
    if (entry.kind !== EntryKind.MICRO_VIDEO) throw badInput(`A ${entry.kind} entry has no video.`, { kind: entry.kind });
    if (entry.status !== EntryStatus.DRAFT && entry.status !== EntryStatus.SUBMITTED) {
      throw conflict(`The entry is ${entry.status}: its video is no longer shown to anyone.`, { status: entry.status });
    }
    const videoId = await this.dataSource.transaction(async (manager) => {
      // The job row first, then the video, as the worker locks them.
      const id = await videoIdOfEntry(manager, entry.id);
      if (!id) throw codedError(ErrorCode.NOT_FOUND, `Entry ${entryId} has no video.`);
      await lockRenditionJob(manager, id);
      const status = await lockVideoStatus(manager, id);
      if (status !== MediaStatus.FAILED) {
        throw conflict(`The entry's video is ${status ?? "gone"}; only a FAILED video's renditions are made again.`, { videoStatus: status });
      }
      await enqueueVideoRenditions(manager, id);
      return id;
    });
    this.loaders.videoByEntry.clear(entry.id);
    return this.dataSource.getRepository(MicroVideo).findOneByOrFail({ id: videoId });
  }

  /** Puts a DRAFT photo entry's photos in the given order; photoIds must name each of its photos exactly once. */
  async reorderPhotos(entryId: string, photoIds: string[]): Promise<Entry> {
    const { entry } = await this.editableEntry(entryId, [EntryKind.PHOTO_SET, EntryKind.SINGLE_PHOTO]);
    if (photoIds.length > MAX_PHOTO_IDS) throw badInput(`photoIds lists at most ${MAX_PHOTO_IDS} ids.`, { argument: "photoIds" });
    const wanted = photoIds.map((photoId) => parseId(photoId, "photoIds"));
    if (new Set(wanted).size !== wanted.length)
      throw badInput("photoIds names the same photo twice; list each of the entry's photos once.", { argument: "photoIds" });
    return this.dataSource.transaction(async (manager) => {
      await lockDraft(manager, entry.id);
      const currentIds = new Set(await photoIdsInOrder(manager, entry.id));
      if (wanted.length !== currentIds.size || !wanted.every((photoId) => currentIds.has(photoId))) {
        throw badInput(`photoIds must list each of the entry's ${currentIds.size} photos exactly once, in the new order.`, {
          argument: "photoIds",
          expectedCount: currentIds.size,
        });
      }
      await writePhotoOrder(manager, entry.id, wanted);
      return this.touch(manager, entry.id);
    });
  }

  /** Marks the entry changed and returns it as it is now. */
  private async touch(manager: EntityManager, entryId: string): Promise<Entry> {
    await markEntryChanged(manager, entryId);
    return manager.getRepository(Entry).findOneByOrFail({ id: entryId });
  }

  async uploadPhotos(entryId: string, files: Promise<FileUpload>[]): Promise<Photo[]> {
    const { entry, competition } = await this.editableEntry(entryId, [EntryKind.PHOTO_SET, EntryKind.SINGLE_PHOTO]);
    const capacity = entry.kind === EntryKind.SINGLE_PHOTO ? 1 : competition.maxPhotosPerSet;
    if (files.length === 0) throw badInput("Send at least one file.", { argument: "files" });
    const existing = (await this.loaders.photosByEntry.load(entry.id)).length;
    if (existing + files.length > capacity) {
      throw badInput(`A ${entry.kind} entry holds at most ${capacity} photos; it has ${existing} and ${files.length} were sent.`, {
        argument: "files",
        max: capacity,
      });
    }
    const received: ReceivedUpload[] = [];
    const stored = new StoredKeys();
    try {
      const prepared: Omit<Photo, "id" | "entryId" | "position" | "createdAt">[] = [];
      for (const file of files) {
        const upload = await receiveUpload((await file).createReadStream(), { maxBytes: competition.maxPhotoBytes, tempDir: uploadTempDir() });
        received.push(upload);
        const image = await inspectImage(upload.path, { maxPixels: competition.maxPhotoPixels, minLongSide: competition.minPhotoLongSide });
        const sizes = await deriveImageSizes(upload.path, { maxPixels: competition.maxPhotoPixels });
        prepared.push({
          width: image.width,
          height: image.height,
          contentType: image.mimeType,
          byteSize: upload.bytes,
          sha256: upload.sha256,
          exif: image.exif ? { ...image.exif } : null,
          displayKey: await stored.put(newMediaKey("photos", "jpg"), sizes.DISPLAY.buffer),
          thumbnailKey: await stored.put(newMediaKey("photos", "jpg"), sizes.THUMBNAIL.buffer),
          originalKey: await stored.put(newMediaKey("photos", image.format === "png" ? "png" : "jpg"), upload.path),
        });
      }
      return await this.dataSource.transaction(async (manager) => {
        await lockDraft(manager, entry.id);
        await this.assertNotDuplicate(
          manager,
          prepared.map((photo) => photo.sha256),
        );
        const { count, last } = await photoCountAndLastPosition(manager, entry.id);
        if (count + prepared.length > capacity) throw badInput(`A ${entry.kind} entry holds at most ${capacity} photos.`, { argument: "files", max: capacity });
        const rows = prepared.map((photo, index) => manager.getRepository(Photo).create({ ...photo, entryId: entry.id, position: last + index + 1 }));
        return manager.getRepository(Photo).save(rows);
      });
    } catch (error) {
      await stored.removeAll();
      throw error;
    } finally {
      await Promise.all(received.map((upload) => upload.cleanup()));
    }
  }

  async uploadVideo(entryId: string, file: Promise<FileUpload>): Promise<MicroVideo> {
    const { entry, competition } = await this.editableEntry(entryId, [EntryKind.MICRO_VIDEO]);
    if (await this.loaders.videoByEntry.load(entry.id)) throw conflict("This entry already has its video; a micro-video entry holds one.");
    const stored = new StoredKeys();
    let upload: ReceivedUpload | undefined;
    try {
      const started = Date.now();
      upload = await receiveUpload((await file).createReadStream({ highWaterMark: 1 << 20 }), {
        maxBytes: competition.maxVideoBytes,
        tempDir: uploadTempDir(),
      });
      const received = Date.now();
      const video = await inspectVideo(upload.path, { maxSeconds: competition.maxVideoSeconds });
      const checked = Date.now();
      const row = {
        entryId: entry.id,
        durationSeconds: video.durationSeconds,
        width: video.width,
        height: video.height,
        contentType: video.mimeType,
        byteSize: upload.bytes,
        sha256: upload.sha256,
        videoKey: await stored.put(newMediaKey("videos", video.mimeType === "video/quicktime" ? "mov" : "mp4"), upload.path),
      };
      logger.debug("video received", { bytes: upload.bytes, receiveMs: received - started, checkMs: checked - received, storeMs: Date.now() - checked });
      return await this.dataSource.transaction((manager) => attachVideo(manager, row, this.mayReveal));
    } catch (error) {
      await stored.removeAll();
      throw error;
    } finally {
      await upload?.cleanup();
    }
  }

  /** Opens a resumable upload for the video of a draft: the same checks as uploadVideo, before any byte is sent. */
  async startUpload(input: StartMediaUploadInput): Promise<MediaUpload> {
    const { entry, competition, viewer } = await this.editableEntry(input.entryId, [EntryKind.MICRO_VIDEO]);
    if (await this.loaders.videoByEntry.load(entry.id)) throw conflict("This entry already has its video; a micro-video entry holds one.");
    if (!Number.isSafeInteger(input.byteSize) || input.byteSize <= 0)
      throw badInput("byteSize must be the file's size in bytes, a whole number above 0.", { argument: "byteSize" });
    if (input.byteSize > competition.maxVideoBytes) {
      throw codedError(ErrorCode.PAYLOAD_TOO_LARGE, `The file is larger than the limit of ${competition.maxVideoBytes} bytes.`, {
        maxBytes: competition.maxVideoBytes,
      });
    }
    const extension = VIDEO_EXTENSIONS[input.contentType];
    if (!extension) {
      throw codedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Videos must be MP4 or MOV (contentType video/mp4 or video/quicktime).", {
        accepted: Object.keys(VIDEO_EXTENSIONS),
      });
    }
    const settings = config().mediaUploads;
    const key = newMediaKey("videos", extension);
    const storage = mediaStorage();
    const storageUploadId = await storage.createMultipartUpload(key);
    let replaced: MediaUploadRow | undefined;
    let upload: MediaUploadRow;
    try {
      upload = await this.dataSource.transaction(async (manager) => {
        // Read before the lock, so a caller is not held up by a check attaching; a check claimed just after is
        // harmless (of two files checked for one entry, the second to attach is refused: one video per entry).
        const checking = await checkingUploadOfEntry(manager, entry.id);
        if (checking) {
          throw conflict("The entry's previous upload is being checked; follow mediaUpload until it is ATTACHED or REJECTED.", { uploadId: checking });
        }
        await lockDraft(manager, entry.id);
        replaced = await removeOpenUploadOfEntry(manager, entry.id);
        return insertUpload(manager, {
          entryId: entry.id,
          objectKey: key,
          storageUploadId,
          contentType: input.contentType,
          byteSize: input.byteSize,
          partBytes: choosePartBytes(input.byteSize, settings.partBytes),
          createdBy: viewer.subject,
          expiresAt: new Date(Date.now() + settings.ttlSeconds * 1000),
        });
      });
    } catch (error) {
      await storage.abortMultipartUpload(key, storageUploadId).catch((abortError) => logger.warn("could not abort an upload", { key, error: abortError }));
      throw error;
    }
    if (replaced) await discardUploadBytes(replaced);
    return this.presentUpload(upload);
  }

  /** An upload, what arrived of it and where its checks stand; NOT_FOUND for anyone who may not add media to its entry. */
  async uploadStatus(uploadId: string): Promise<MediaUpload> {
    return this.presentUpload(await this.visibleUpload(uploadId));
  }

  /** An unexpired upload of an entry the caller may edit (someone else's upload answers as if it did not exist). */
  private async visibleUpload(uploadId: string): Promise<MediaUploadRow> {
    const viewer = entriesPolicy.assertCan(this.context, "entry:upload-media");
    const upload = await findUpload(this.dataSource.manager, parseId(uploadId, "uploadId"));
    if (!upload || upload.expiresAt.getTime() <= Date.now()) throw notFound("Upload", uploadId);
    const entry = await this.loaders.entry.load(upload.entryId);
    if (!entry || !mayEdit(viewer, entry)) throw notFound("Upload", uploadId);
    return upload;
  }

  /**
   * Claims an open upload whose parts have all arrived and starts its content checks as a job of this process that
   * outlives the request (lease-protected: another replica takes it over if this process dies). Waits for the job
   * up to MEDIA_UPLOAD_COMPLETE_WAIT_MS, well under the gateway's timeout: a small file comes back attached (or
   * refused with its coded error, as before); a large one comes back with the entry unchanged and the upload
   * CHECKING, to be followed with mediaUpload. Calling it again is safe: it waits again, or answers the outcome.
   */
  async completeUpload(uploadId: string): Promise<Entry> {
    let upload = await this.visibleUpload(uploadId);
    const checks = uploadChecks(this.dataSource);
    let job = checks.inProgress(upload.id);
    if (upload.status === "OPEN") {
      await this.editableEntry(upload.entryId, [EntryKind.MICRO_VIDEO]);
      const missing = missingParts(
        upload.byteSize,
        upload.partBytes,
        upload.parts.map((part) => part.partNumber),
      );
      if (missing.length) {
        throw badInput(`${missing.length} part(s) of this upload have not arrived yet; send them and complete again.`, { missingParts: missing.slice(0, 100) });
      }
      const claimed = await claimForChecks(this.dataSource.manager, upload.id, config().mediaUploads.checkLeaseMs);
      // Not claimed: a concurrent completion did (answered below as a repeated call), or the upload just expired.
      if (claimed) job = checks.start(claimed);
    }
    if (job) await waitAtMost(job, config().mediaUploads.completeWaitMs);
    upload = (await findUpload(this.dataSource.manager, upload.id)) ?? upload;
    if (upload.status === "OPEN") throw notFound("Upload", uploadId);
    if (upload.status === "REJECTED") throw await this.failureError(upload.failure!);
    this.loaders.videoByEntry.clear(upload.entryId);
    const entry = await this.loaders.entry.load(upload.entryId);
    if (!entry) throw notFound("Upload", uploadId);
    return entry;
  }

  /** A recorded refusal as the coded error completeMediaUpload answers. */
  private async failureError(failure: MediaUploadFailureRecord) {
    return codedError(failure.code as ErrorCode, failure.message, { duplicateOfEntryId: (await this.revealedDuplicate(failure)) ?? undefined });
  }

  private async revealedDuplicate(failure: MediaUploadFailureRecord | null): Promise<string | null> {
    return failure?.duplicateOfEntryId && (await this.mayReveal(failure.duplicateOfEntryId)) ? failure.duplicateOfEntryId : null;
  }

  private async presentUpload(upload: MediaUploadRow): Promise<MediaUpload> {
    const received = new Map(upload.parts.map((part) => [part.partNumber, part]));
    const parts = Array.from({ length: partCount(upload.byteSize, upload.partBytes) }, (_, index) => {
      const placement = partPlacement(upload.byteSize, upload.partBytes, index + 1)!;
      return {
        number: placement.partNumber,
        offset: placement.offset,
        byteSize: placement.bytes,
        url: signedUploadPartUrl(upload.id, placement.partNumber, upload.expiresAt),
        received: received.has(placement.partNumber),
      };
    });
    return {
      id: upload.id,
      entryId: upload.entryId,
      byteSize: upload.byteSize,
      receivedBytes: upload.parts.reduce((sum, part) => sum + part.bytes, 0),
      partSize: upload.partBytes,
      parts,
      expiresAt: upload.expiresAt,
      status: upload.status as MediaUploadStatus,
      failure: upload.failure
        ? { code: upload.failure.code, message: upload.failure.message, duplicateOfEntryId: await this.revealedDuplicate(upload.failure) }
        : null,
    };
  }
}

/** Resolves when the promise settles or after ms, whichever comes first (the timer does not outlive it). */
async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

const VIDEO_EXTENSIONS: Record<string, string> = { "video/mp4": "mp4", "video/quicktime": "mov" };

/** Drops whatever arrived of an upload that will not be completed (aborting a completed one is harmless). */
async function discardUploadBytes(upload: MediaUploadRow): Promise<void> {
  await mediaStorage()
    .abortMultipartUpload(upload.objectKey, upload.storageUploadId)
    .catch((error) => logger.warn("could not abort an upload", { uploadId: upload.id, error }));
}
