// The SQL of resumable uploads (entries.media_upload): opening, recording parts, claiming for completion, expiry.
import type { EntityManager } from "typeorm";
import type { MultipartPart } from "../media/storage";

const TABLE = "entries.media_upload";

export interface MediaUploadRow {
  id: string;
  entryId: string;
  objectKey: string;
  storageUploadId: string;
  contentType: string;
  byteSize: number;
  partBytes: number;
  parts: MultipartPart[];
  status: "OPEN" | "COMPLETING";
  createdBy: string;
  expiresAt: Date;
}

type Queryable = Pick<EntityManager, "query">;

interface RawRow {
  id: string;
  entry_id: string;
  object_key: string;
  storage_upload_id: string;
  content_type: string;
  byte_size: string;
  part_bytes: number;
  parts: Record<string, { etag: string; bytes: number }>;
  status: MediaUploadRow["status"];
  created_by: string;
  expires_at: Date;
}

/** TypeORM answers UPDATE and DELETE with [rows, count] and other statements with rows. */
async function returned(db: Queryable, sql: string, parameters: unknown[]): Promise<RawRow[]> {
  const result = await db.query(sql, parameters);
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === "number" ? result[0] : result;
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
  };
}

export async function insertUpload(db: Queryable, upload: Omit<MediaUploadRow, "id" | "parts" | "status">): Promise<MediaUploadRow> {
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
  const [raw] = await returned(db, `DELETE FROM ${TABLE} WHERE entry_id = $1 AND status = 'OPEN' RETURNING *`, [entryId]);
  return raw ? toRow(raw) : undefined;
}

/** Records one arrived part, unless the upload was claimed or expired meanwhile (then false). Sending a part again replaces it. */
export async function recordPart(db: Queryable, id: string, part: MultipartPart): Promise<boolean> {
  const [result] = await returned(
    db,
    `UPDATE ${TABLE} SET parts = parts || jsonb_build_object($2::text, jsonb_build_object('etag', $3::text, 'bytes', $4::bigint))
     WHERE id = $1 AND status = 'OPEN' AND expires_at > now() RETURNING id`,
    [id, String(part.partNumber), part.etag, part.bytes],
  );
  return Boolean(result);
}

/** Moves an open, unexpired upload to COMPLETING, so only one completion runs and no part lands after it. */
export async function claimForCompletion(db: Queryable, id: string): Promise<MediaUploadRow | undefined> {
  const [raw] = await returned(db, `UPDATE ${TABLE} SET status = 'COMPLETING' WHERE id = $1 AND status = 'OPEN' AND expires_at > now() RETURNING *`, [id]);
  return raw ? toRow(raw) : undefined;
}

/** Gives a claimed upload back (the completion failed for a reason the client can fix by sending parts again). */
export async function releaseClaim(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE ${TABLE} SET status = 'OPEN' WHERE id = $1 AND status = 'COMPLETING'`, [id]);
}

export async function deleteUpload(db: Queryable, id: string): Promise<void> {
  await db.query(`DELETE FROM ${TABLE} WHERE id = $1`, [id]);
}

/**
 * Takes expired uploads off the table (a completion that stalled counts as expired an hour after the upload did)
 * and returns them, so their bytes can be removed.
 */
export async function takeExpiredUploads(db: Queryable, limit: number): Promise<MediaUploadRow[]> {
  const raws = await returned(
    db,
    `DELETE FROM ${TABLE} WHERE id IN (
       SELECT id FROM ${TABLE}
       WHERE (status = 'OPEN' AND expires_at <= now()) OR (status = 'COMPLETING' AND expires_at <= now() - interval '1 hour')
       ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [limit],
  );
  return raws.map(toRow);
}
