// Streams an incoming upload to a temp file, hashing and counting it, and enforcing the size limit as bytes arrive.
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ErrorCode, badInput, codedError } from "../../../lib/errors";

export interface ReceiveOptions {
  /** Largest accepted file; one byte more and the upload is refused. */
  maxBytes: number;
  /** Folder for the temp file; created if missing. */
  tempDir: string;
}

export interface ReceivedUpload {
  path: string;
  bytes: number;
  /** Hex SHA-256 of the bytes as received (duplicate detection, integrity checks). */
  sha256: string;
  /** Deletes the temp file; safe to call more than once. */
  cleanup(): Promise<void>;
}

class UploadTooLargeError extends Error {}

export async function receiveUpload(stream: Readable, options: ReceiveOptions): Promise<ReceivedUpload> {
  const { maxBytes, tempDir } = options;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new Error("receiveUpload: maxBytes must be a positive integer");
  await fs.mkdir(tempDir, { recursive: true });
  const tempPath = path.join(tempDir, `upload-${randomUUID()}.part`);
  const cleanup = () => fs.rm(tempPath, { force: true });

  const hash = createHash("sha256");
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      // Stop at the first byte over the limit: pipeline then destroys the source and the temp file stream.
      if (bytes > maxBytes) return callback(new UploadTooLargeError());
      hash.update(chunk);
      callback(null, chunk);
    },
  });

  const file = createWriteStream(tempPath, { flags: "wx" });
  try {
    await pipeline(stream, meter, file);
  } catch (error) {
    // The file stream opens asynchronously: wait until it is closed, or the file could appear after the removal.
    if (!file.closed) await new Promise<void>((resolve) => file.once("close", () => resolve()));
    await cleanup();
    if (error instanceof UploadTooLargeError || httpStatusOf(error) === 413) {
      throw codedError(ErrorCode.PAYLOAD_TOO_LARGE, `The file is larger than the limit of ${formatBytes(maxBytes)}.`, { maxBytes });
    }
    throw badInput("The upload was interrupted or could not be read; please send the file again.");
  }

  if (bytes === 0) {
    await cleanup();
    throw badInput("The uploaded file is empty.");
  }
  return { path: tempPath, bytes, sha256: hash.digest("hex"), cleanup };
}

/** graphql-upload reports its own size limit as an http-errors 413 on the file stream. */
function httpStatusOf(error: unknown): number | undefined {
  const candidate = error as { status?: unknown; statusCode?: unknown } | undefined;
  const status = candidate?.status ?? candidate?.statusCode;
  return typeof status === "number" ? status : undefined;
}

function formatBytes(bytes: number): string {
  const megabytes = bytes / (1024 * 1024);
  return megabytes >= 1 ? `${Number(megabytes.toFixed(1))} MB` : `${bytes} bytes`;
}
