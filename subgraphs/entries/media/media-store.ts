// The entries service's media storage and the signed URLs it hands out for each stored object.
import path from "node:path";
import { config } from "../../../lib/config";
import { signMediaPath } from "./signed-url";
import { S3Storage } from "./s3-storage";
import { LocalDiskStorage, MediaStorage } from "./storage";

const stores = new Map<string, MediaStorage>();

/** The configured storage (one instance per configuration): the disk under the media root, or an S3 bucket. */
export function mediaStorage(): MediaStorage {
  const { mediaRoot, mediaStorage: settings } = config();
  const identity = settings.driver === "disk" ? `disk:${mediaRoot}` : `s3:${settings.endpoint ?? "aws"}:${settings.bucket}:${settings.keyPrefix}`;
  let store = stores.get(identity);
  if (!store) {
    store = settings.driver === "disk" ? new LocalDiskStorage(mediaRoot) : new S3Storage({ ...settings, tempDir: uploadTempDir() });
    stores.set(identity, store);
  }
  return store;
}

/**
 * This machine's temp folder inside the media root (same file system, so a move into storage is a rename): received
 * uploads, disk multipart uploads, S3 downloads and the renditions worker's folders. The sweeper clears what is stale.
 */
export function mediaTempRoot(): string {
  return path.join(config().mediaRoot, ".tmp");
}

/** Where received uploads wait while they are checked. */
export function uploadTempDir(): string {
  return path.join(mediaTempRoot(), "uploads");
}

const DAY = 86_400_000;

/**
 * A signed, expiring URL for a stored object, on the public URL (the gateway proxies /media to this service).
 * Links expire at the end of the next UTC day: at most two days of access from one answer, and the same URL
 * all day long, so browsers and CDNs can cache it.
 */
export function signedMediaUrl(key: string, now = Date.now()): string {
  const expiresAt = new Date((Math.floor(now / DAY) + 2) * DAY);
  return `${config().publicUrl}/media/${key}${signMediaPath(key, "media", expiresAt, config().mediaUrlSecret)}`;
}

/**
 * The signed URL one part of a resumable upload is PUT to, on the public URL (the gateway forwards /uploads to
 * this service). It names the upload and the part, so it grants nothing else, and expires with the upload.
 */
export function signedUploadPartUrl(uploadId: string, partNumber: number, expiresAt: Date): string {
  return `${config().publicUrl}/uploads/${uploadId}/parts/${partNumber}${signMediaPath(uploadPartSubject(uploadId, partNumber), "upload-part", expiresAt, config().mediaUrlSecret)}`;
}

/** What a part URL's signature covers. */
export function uploadPartSubject(uploadId: string, partNumber: number): string {
  return `uploads/${uploadId}/parts/${partNumber}`;
}
