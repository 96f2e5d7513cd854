// The one place a checked, stored video is attached to its draft entry, for both upload paths (uploadVideo in its
// request, completeMediaUpload in its check job): the draft is locked, the content must be new to the competition,
// and the video starts PROCESSING with its renditions queued in the same transaction.
import type { EntityManager } from "typeorm";
import { conflict } from "../../../lib/errors";
import { enqueueVideoRenditions } from "../video-rendition/video-rendition.store";
import { EntryStatus, MediaStatus, MicroVideo } from "./entry.entity";

const SCHEMA = "entries";

/** What an upload path knows of a checked, stored video; attachVideo adds the rest. */
export type NewVideo = Pick<MicroVideo, "entryId" | "durationSeconds" | "width" | "height" | "contentType" | "byteSize" | "sha256" | "videoKey">;

/** Locks the entry row and checks it is still an editable draft (another request may have submitted it). */
export async function lockDraft(manager: EntityManager, entryId: string): Promise<void> {
  const [row] = await manager.query(`SELECT status FROM ${SCHEMA}.entry WHERE id = $1 FOR UPDATE`, [entryId]);
  if (row?.status !== EntryStatus.DRAFT) throw conflict("The entry is no longer a draft.", { status: row?.status });
}

export const DUPLICATE_MESSAGE = "This file has already been entered in the competition (same content); each work can be entered once.";

/**
 * The entry that already holds one of these contents, if any. Concurrent uploads of the same content are
 * serialised (an advisory lock per hash, held until the transaction ends), so the answer cannot race.
 */
export async function findDuplicateContent(manager: EntityManager, sha256s: string[]): Promise<string | undefined> {
  if (new Set(sha256s).size !== sha256s.length) throw conflict("The same file was sent twice in this request.");
  for (const sha256 of [...sha256s].sort()) await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [sha256]);
  const existing: { entry_id: string }[] = await manager.query(
    `SELECT entry_id FROM ${SCHEMA}.photo WHERE sha256 = ANY($1::text[]) UNION ALL SELECT entry_id FROM ${SCHEMA}.micro_video WHERE sha256 = ANY($1::text[]) LIMIT 1`,
    [sha256s],
  );
  return existing[0]?.entry_id;
}

/**
 * Records the video on its draft and queues its renditions. A duplicate is refused with CONFLICT, naming the other
 * entry in extensions.duplicateOfEntryId only when mayReveal allows it (the caller may see that entry).
 */
export async function attachVideo(manager: EntityManager, video: NewVideo, mayReveal: (entryId: string) => Promise<boolean>): Promise<MicroVideo> {
  await lockDraft(manager, video.entryId);
  const duplicateOf = await findDuplicateContent(manager, [video.sha256]);
  if (duplicateOf) throw conflict(DUPLICATE_MESSAGE, { duplicateOfEntryId: (await mayReveal(duplicateOf)) ? duplicateOf : undefined });
  const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM ${SCHEMA}.micro_video WHERE entry_id = $1`, [video.entryId]);
  if (count > 0) throw conflict("This entry already has its video; a micro-video entry holds one.");
  const repository = manager.getRepository(MicroVideo);
  const saved = await repository.save(repository.create({ ...video, posterKey: null, status: MediaStatus.PROCESSING }));
  await enqueueVideoRenditions(manager, saved.id);
  return saved;
}
