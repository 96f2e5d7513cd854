// The SQL of resumable uploads (entries.media_upload): opening, recording parts, the leased check job that
// completion starts, and expiry. Every write after a lease is taken is fenced by the lease id: a process that lost
// its lease (it stalled and another replica took the job over) changes nothing.
import { rowsOf, type Queryable } from "../../../lib/database";
import type { MultipartPart } from "../media/storage";

const SCHEMA = "entries";
const TABLE = `${SCHEMA}.media_upload`;

export interface MediaUploadRow {
  id: string;
  entryId: string;
  objectKey: string;
  storageUploadId: string;
  contentType: string;
  byteSize: number;
  partBytes: number;
  parts: MultipartPart[];
  status: MediaUploadState;
  createdBy: string;
  expiresAt: Date;
  /** Why the checks refused the file (REJECTED only). */
  failure: MediaUploadFailureRecord | null;
  /** The check job's current lease and how many times it was taken (CHECKING). */
  leaseId: string | null;
  attempts: number;
}

export type MediaUploadState = "OPEN" | "CHECKING" | "ATTACHED" | "REJECTED";

/** A state as a statement's parameter (states are never spliced into the SQL text); typed, so a misspelling does not compile. */
const state = (value: MediaUploadState): MediaUploadState => value;

/** A refusal as recorded: the error code and message the client reads, and details only its owner may see. */
export interface MediaUploadFailureRecord {
  code: string;
  message: string;
  /** The entry already holding the same content (a duplicate); shown only to callers who may see that entry. */
  duplicateOfEntryId?: string;
}

interface RawRow {
  id: string;
  entry_id: string;
  object_key: string;
  storage_upload_id: string;
  content_type: string;
  byte_size: string;
  part_bytes: number;
  parts: Record<string, { etag: string; bytes: number }>;
  status: MediaUploadState;
  created_by: string;
  expires_at: Date;
  failure: MediaUploadFailureRecord | null;
  lease_id: string | null;
  attempts: number;
}

/** The rows a statement answers, whatever its kind. */
async function returned(db: Queryable, sql: string, parameters: unknown[]): Promise<RawRow[]> {
  return rowsOf<RawRow>(await db.query(sql, parameters));
}

function toRow(raw: RawRow): MediaUploadRow {
  return {
    id: raw.id,
    entryId: raw.entry_id,
    objectKey: raw.object_key,
    storageUploadId: raw.storage_upload_id,
    contentType: raw.content_type,
    byteSize: Number(raw.byte_size),
    partBytes: raw.part_bytes,
    parts: Object.entries(raw.parts)
      .map(([number, part]) => ({ partNumber: Number(number), etag: part.etag, bytes: part.bytes }))
      .sort((a, b) => a.partNumber - b.partNumber),
    status: raw.status,
    createdBy: raw.created_by,
    expiresAt: raw.expires_at,
    failure: raw.failure,
    leaseId: raw.lease_id,
    attempts: raw.attempts,
  };
}

export async function insertUpload(
  db: Queryable,
  upload: Omit<MediaUploadRow, "id" | "parts" | "status" | "failure" | "leaseId" | "attempts">,
): Promise<MediaUploadRow> {
  const [raw] = await db.query(
    `INSERT INTO ${TABLE} (entry_id, object_key, storage_upload_id, content_type, byte_size, part_bytes, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [upload.entryId, upload.objectKey, upload.storageUploadId, upload.contentType, upload.byteSize, upload.partBytes, upload.createdBy, upload.expiresAt],
  );
  return toRow(raw);
}

export async function findUpload(db: Queryable, id: string): Promise<MediaUploadRow | undefined> {
  const [raw] = await db.query(`SELECT * FROM ${TABLE} WHERE id = $1`, [id]);
  return raw ? toRow(raw) : undefined;
}

/** Removes the entry's open upload (starting a new one replaces it) and returns it, so its bytes can be dropped. */
export async function removeOpenUploadOfEntry(db: Queryable, entryId: string): Promise<MediaUploadRow | undefined> {
  const [raw] = await returned(db, `DELETE FROM ${TABLE} WHERE entry_id = $1 AND status = $2 RETURNING *`, [entryId, state("OPEN")]);
  return raw ? toRow(raw) : undefined;
}

/** Records one arrived part, unless the upload was claimed or expired meanwhile (then false). Sending a part again replaces it. */
export async function recordPart(db: Queryable, id: string, part: MultipartPart): Promise<boolean> {
  const [result] = await returned(
    db,
    `UPDATE ${TABLE} SET parts = parts || jsonb_build_object($2::text, jsonb_build_object('etag', $3::text, 'bytes', $4::bigint))
     WHERE id = $1 AND status = $5 AND expires_at > now() RETURNING id`,
    [id, String(part.partNumber), part.etag, part.bytes, state("OPEN")],
  );
  return Boolean(result);
}

/** The entry's upload whose checks are running, if any (a new upload waits for it to end). */
export async function checkingUploadOfEntry(db: Queryable, entryId: string): Promise<string | undefined> {
  const [row] = await db.query(`SELECT id FROM ${TABLE} WHERE entry_id = $1 AND status = $2`, [entryId, state("CHECKING")]);
  return row?.id;
}

/** SQL that sets the lease's end leaseMs (a parameter) from now. */
const leaseEnd = (leaseMs: string) => `lease_expires_at = now() + make_interval(secs => ${leaseMs}::double precision / 1000)`;
/** SQL that gives the job a fresh lease (a new id, so the previous holder's writes are refused). */
const lease = (leaseMs: string) => `lease_id = gen_random_uuid(), ${leaseEnd(leaseMs)}`;

/**
 * Moves an open, unexpired upload to CHECKING under a fresh lease held by the caller, so only one completion runs
 * and no part lands after it; undefined when it is not open (any more).
 */
export async function claimForChecks(db: Queryable, id: string, leaseMs: number): Promise<MediaUploadRow | undefined> {
  const [raw] = await returned(
    db,
    `UPDATE ${TABLE} SET status = $3, attempts = 1, ${lease("$2")} WHERE id = $1 AND status = $4 AND expires_at > now() RETURNING *`,
    [id, leaseMs, state("CHECKING"), state("OPEN")],
  );
  return raw ? toRow(raw) : undefined;
}

/** Takes over the check whose lease ran out longest ago (its process died or gave it back), counting the attempt. */
export async function leaseStalledCheck(db: Queryable, leaseMs: number): Promise<MediaUploadRow | undefined> {
  const [raw] = await returned(
    db,
    `UPDATE ${TABLE} SET attempts = attempts + 1, ${lease("$1")}
      WHERE id = (SELECT id FROM ${TABLE} WHERE status = $2 AND lease_expires_at <= now()
                   ORDER BY lease_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [leaseMs, state("CHECKING")],
  );
  return raw ? toRow(raw) : undefined;
}

/** Extends a held lease while the checks go on; false when it was lost. */
export async function renewCheckLease(db: Queryable, id: string, leaseId: string, leaseMs: number): Promise<boolean> {
  const [row] = await returned(db, `UPDATE ${TABLE} SET ${leaseEnd("$3")} WHERE id = $1 AND lease_id = $2 AND status = $4 RETURNING id`, [
    id,
    leaseId,
    leaseMs,
    state("CHECKING"),
  ]);
  return Boolean(row);
}

/** In the attaching transaction: locks the upload and tells whether the lease is still this job's. */
export async function holdsCheckLease(db: Queryable, id: string, leaseId: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM ${TABLE} WHERE id = $1 AND lease_id = $2 AND status = $3 FOR UPDATE`, [id, leaseId, state("CHECKING")]);
  return rows.length > 0;
}

/**
 * Ends the checks (fenced by the lease): ATTACHED, or REJECTED with its failure. The finished upload stays
 * readable (mediaUpload) until it expires, and at least an hour, so a client polling for the outcome sees it.
 */
export async function finishChecks(db: Queryable, id: string, leaseId: string, failure: MediaUploadFailureRecord | null): Promise<boolean> {
  const [row] = await returned(
    db,
    `UPDATE ${TABLE} SET status = $3, failure = $4::jsonb, lease_id = NULL, lease_expires_at = NULL, finished_at = now(),
            expires_at = greatest(expires_at, now() + interval '1 hour')
      WHERE id = $1 AND lease_id = $2 AND status = $5 RETURNING id`,
    [id, leaseId, state(failure ? "REJECTED" : "ATTACHED"), failure ? JSON.stringify(failure) : null, state("CHECKING")],
  );
  return Boolean(row);
}

/**
 * Hands a held lease back: due again after delayMs (a failure that may pass, such as storage being unreachable),
 * or at once without counting the attempt (the process is shutting down).
 */
export async function releaseCheckLease(db: Queryable, id: string, leaseId: string, options: { delayMs: number; countAttempt: boolean }): Promise<void> {
  await db.query(
    `UPDATE ${TABLE} SET lease_id = NULL, lease_expires_at = now() + make_interval(secs => $3::double precision / 1000),
            attempts = CASE WHEN $4::boolean THEN attempts ELSE greatest(attempts - 1, 0) END
      WHERE id = $1 AND lease_id = $2 AND status = $5`,
    [id, leaseId, options.delayMs, options.countAttempt, state("CHECKING")],
  );
}

/**
 * Takes expired uploads off the table and returns them, so the bytes no row references any more can be removed.
 * An upload being checked is never taken: its job ends it (a dead process's job is taken over, attempts are bounded).
 */
export async function takeExpiredUploads(db: Queryable, limit: number): Promise<MediaUploadRow[]> {
  const raws = await returned(
    db,
    `DELETE FROM ${TABLE} WHERE id IN (
       SELECT id FROM ${TABLE}
       WHERE status <> $2 AND expires_at <= now()
       ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [limit, state("CHECKING")],
  );
  return raws.map(toRow);
}
