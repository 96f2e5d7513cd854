// PUT /uploads/<uploadId>/parts/<n>?exp=…&sig=…: receives one part of a resumable upload, streamed to the media
// storage, and records it. The signed URL is the credential: it names one part of one upload and expires with it.
import type { Request, Response } from "express";
import type { DataSource } from "typeorm";
import { config } from "../../../lib/config";
import { logger } from "../../../lib/logger";
import { mediaStorage, uploadPartSubject } from "../media/media-store";
import { verifyMediaSignature } from "../media/signed-url";
import { partPlacement } from "./media-upload.plan";
import { findUpload, recordPart } from "./media-upload.store";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The most of a refused body read and discarded before the connection is closed instead. */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

function fail(request: Request, response: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  if (response.headersSent) return;
  // The body may still be arriving. Closing at once with unread bytes makes the kernel send a reset, which can
  // discard this answer before the gateway reads it (a 502 or a stalled part instead of the refusal). So the rest of
  // a refused part is read and dropped (a lingering close), up to a bound past which the connection is cut.
  let discarded = 0;
  request.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) request.socket.destroy();
  });
  request.resume();
  response.status(status).json({ errors: [{ message, extensions: { ...extensions, code } }] });
}

export function uploadPartRoute(dataSource: () => DataSource) {
  return async (request: Request, response: Response): Promise<void> => {
    const uploadId = String(request.params.uploadId);
    const partNumber = Number(request.params.partNumber);
    if (!UUID.test(uploadId) || !/^\d{1,5}$/.test(String(request.params.partNumber)))
      return fail(request, response, 400, "BAD_USER_INPUT", "Invalid upload part path.");
    if (
      !verifyMediaSignature(uploadPartSubject(uploadId, partNumber), "upload-part", request.query as { exp?: unknown; sig?: unknown }, config().mediaUrlSecret)
    ) {
      return fail(request, response, 403, "FORBIDDEN", "This upload URL is invalid or has expired; query mediaUpload for fresh URLs or start again.");
    }
    const upload = await findUpload(dataSource().manager, uploadId);
    if (!upload || upload.status !== "OPEN" || upload.expiresAt.getTime() <= Date.now()) {
      return fail(request, response, 404, "NOT_FOUND", "This upload does not exist, has expired or is being completed.");
    }
    const placement = partPlacement(upload.byteSize, upload.partBytes, partNumber);
    if (!placement) return fail(request, response, 400, "BAD_USER_INPUT", "This upload has no such part.");
    const declared = request.headers["content-length"];
    if (declared === undefined || Number(declared) !== placement.bytes) {
      return fail(request, response, 400, "BAD_USER_INPUT", `Send exactly ${placement.bytes} bytes for part ${partNumber}, with that Content-Length.`, {
        expectedBytes: placement.bytes,
      });
    }
    let part;
    try {
      part = await mediaStorage().uploadPart(upload.objectKey, upload.storageUploadId, placement, request);
    } catch (error) {
      // Usually the client went away mid-part; nothing is recorded, so the part is simply sent again.
      logger.info("upload part not stored", { uploadId, partNumber, error: (error as Error).message });
      return fail(request, response, 400, "BAD_USER_INPUT", "The part did not arrive whole; send it again.");
    }
    if (!(await recordPart(dataSource().manager, uploadId, part))) {
      return fail(request, response, 404, "NOT_FOUND", "This upload expired or is being completed; the part was not recorded.");
    }
    response.setHeader("etag", `"${part.etag.replace(/"/g, "")}"`);
    response.status(200).json({ partNumber, bytes: part.bytes });
  };
}
