// Responsible for an entry's media: receiving uploads as streams, judging them by content, storing the
// original and its derived sizes, and recording them — all or nothing, with no file or row left behind on failure.
import type { FileUpload } from "graphql-upload/processRequest.mjs";
import { DataSource, EntityManager } from "typeorm";
import { Viewer } from "../../../lib/auth";
import { RequestContext } from "../../../lib/context";
import { badInput, conflict, forbidden, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { logger } from "../../../lib/logger";
import type { Competition } from "../competition/competition.entity";
import type { CompetitionService } from "../competition/competition.service";
import type { EntriesLoaders } from "../loaders";
import { deriveImageSizes } from "../media/derive-image";
import { inspectImage } from "../media/inspect-image";
import { inspectVideo, makePoster } from "../media/inspect-video";
import { mediaStorage, uploadTempDir } from "../media/media-store";
import { receiveUpload, ReceivedUpload } from "../media/receive";
import { newMediaKey } from "../media/storage";
import { Entry, EntryKind, EntryStatus, MicroVideo, Photo } from "./entry.entity";
import { entriesPolicy, mayEdit } from "../entries.visibility";

/** Keys written so far by one request, deleted again if the request does not commit. */
class StoredKeys {
  readonly keys: string[] = [];

  /** Stores a buffer, or takes over a received temp file (moved, not copied). */
  async put(key: string, body: Buffer | string): Promise<string> {
    if (typeof body === "string") await mediaStorage().moveFile(key, body);
    else await mediaStorage().put(key, body);
    this.keys.push(key);
    return key;
  }

  async removeAll(): Promise<void> {
    await Promise.all(this.keys.map((key) => mediaStorage().delete(key).catch((error) => logger.error("could not remove media", { key, error }))));
  }
}

export class EntryMediaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: EntriesLoaders,
    private readonly context: RequestContext,
    private readonly competitions: CompetitionService,
  ) {}

  /** Checks the caller may add media to the entry now; returns the entry and the competition. */
  private async editableEntry(entryId: string, kinds: EntryKind[]): Promise<{ entry: Entry; competition: Competition; viewer: Viewer }> {
    const viewer = entriesPolicy.assertCan(this.context, "entry:upload-media");
    const entry = await this.loaders.entry.load(parseId(entryId, "entryId"));
    if (!entry) throw notFound("Entry", entryId);
    if (!mayEdit(viewer, entry)) throw forbidden("Only the submitting venue, its organisation or an organiser can upload to this entry.");
    if (entry.status !== EntryStatus.DRAFT) throw conflict(`Media can only be added to a DRAFT entry; this one is ${entry.status}.`, { status: entry.status });
    if (!kinds.includes(entry.kind)) throw badInput(`A ${entry.kind} entry does not take this kind of media.`, { kind: entry.kind });
    const competition = await this.competitions.current();
    this.competitions.assertWindowOpen(competition);
    return { entry, competition, viewer };
  }

  /** Refuses a file whose exact content is already in the competition (or twice in this request). */
  private async assertNotDuplicate(manager: EntityManager, sha256s: string[]): Promise<void> {
    if (new Set(sha256s).size !== sha256s.length) throw conflict("The same file was sent twice in this request.");
    // Serialise concurrent uploads of the same content, so the check below cannot race.
    for (const sha256 of [...sha256s].sort()) await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [sha256]);
    const existing: { entry_id: string }[] = await manager.query(
      `SELECT entry_id FROM entries.photo WHERE sha256 = ANY($1::text[]) UNION ALL SELECT entry_id FROM entries.micro_video WHERE sha256 = ANY($1::text[]) LIMIT 1`,
      [sha256s],
    );
    if (existing.length) {
      throw conflict("This file has already been entered in the competition (same content); each work can be entered once.", {
        duplicateOfEntryId: (await this.loaders.entry.load(existing[0].entry_id)) ? existing[0].entry_id : undefined,
      });
    }
  }

  /** Locks the entry row and checks it is still an editable draft (another request may have submitted it). */
  private async lockDraft(manager: EntityManager, entryId: string): Promise<void> {
    const [row] = await manager.query(`SELECT status FROM entries.entry WHERE id = $1 FOR UPDATE`, [entryId]);
    if (row?.status !== EntryStatus.DRAFT) throw conflict("The entry is no longer a draft.", { status: row?.status });
  }

  async uploadPhotos(entryId: string, files: Promise<FileUpload>[]): Promise<Photo[]> {
    const { entry, competition } = await this.editableEntry(entryId, [EntryKind.PHOTO_SET, EntryKind.SINGLE_PHOTO]);
    const capacity = entry.kind === EntryKind.SINGLE_PHOTO ? 1 : competition.maxPhotosPerSet;
    if (files.length === 0) throw badInput("Send at least one file.", { argument: "files" });
    const existing = (await this.loaders.photosByEntry.load(entry.id)).length;
    if (existing + files.length > capacity) {
      throw badInput(`A ${entry.kind} entry holds at most ${capacity} photos; it has ${existing} and ${files.length} were sent.`, { argument: "files", max: capacity });
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
        await this.lockDraft(manager, entry.id);
        await this.assertNotDuplicate(manager, prepared.map((photo) => photo.sha256));
        const [{ count, last }] = await manager.query(
          `SELECT count(*)::int AS count, COALESCE(max(position), 0)::int AS last FROM entries.photo WHERE entry_id = $1`,
          [entry.id],
        );
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
      upload = await receiveUpload((await file).createReadStream({ highWaterMark: 1 << 20 }), { maxBytes: competition.maxVideoBytes, tempDir: uploadTempDir() });
      const received = Date.now();
      const video = await inspectVideo(upload.path, { maxSeconds: competition.maxVideoSeconds });
      const poster = await makePoster(upload.path, { durationSeconds: video.durationSeconds });
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
        posterKey: poster ? await stored.put(newMediaKey("posters", "jpg"), poster) : null,
      };
      logger.debug("video received", { bytes: upload.bytes, receiveMs: received - started, checkMs: checked - received, storeMs: Date.now() - checked });
      return await this.dataSource.transaction(async (manager) => {
        await this.lockDraft(manager, entry.id);
        await this.assertNotDuplicate(manager, [row.sha256]);
        const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM entries.micro_video WHERE entry_id = $1`, [entry.id]);
        if (count > 0) throw conflict("This entry already has its video; a micro-video entry holds one.");
        return manager.getRepository(MicroVideo).save(manager.getRepository(MicroVideo).create(row));
      });
    } catch (error) {
      await stored.removeAll();
      throw error;
    } finally {
      await upload?.cleanup();
    }
  }
}
