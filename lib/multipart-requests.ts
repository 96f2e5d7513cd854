// graphql-upload's middleware (files buffered on disk, not in memory), with the multipart parser's own failures —
// a body cut short, a broken part header, no boundary — answered as the client's mistake (400, coded) instead of a 500.
import type { RequestHandler } from "express";
import graphqlUploadExpress from "graphql-upload/graphqlUploadExpress.mjs";
import type { FileUpload } from "graphql-upload/processRequest.mjs";
import Upload from "graphql-upload/Upload.mjs";
import { config } from "./config";

/**
 * A second file part under a name already received (`0` twice) would replace the first in `upload.file`, and
 * graphql-upload releases only `upload.file` when the response ends: the first file's temporary copy stayed on
 * disk for good, a disk-filling attack one request at a time. Each Upload keeps the first file (the one its
 * promise gave out); a duplicate is destroyed at once, which deletes its temporary file and lets the parser drain it.
 * Upload assigns `resolve` in its constructor, so an accessor on the prototype sees that assignment.
 */
const ORIGINAL_RESOLVE = Symbol("original resolve");
type PatchedUpload = Upload & { [ORIGINAL_RESOLVE]?: (file: FileUpload) => void; file?: FileUpload };
if (!Object.getOwnPropertyDescriptor(Upload.prototype, "resolve")) {
  Object.defineProperty(Upload.prototype, "resolve", {
    configurable: true,
    set(this: PatchedUpload, resolve: (file: FileUpload) => void) {
      this[ORIGINAL_RESOLVE] = resolve;
    },
    get(this: PatchedUpload) {
      return (file: FileUpload) => {
        if (this.file) {
          (file as FileUpload & { capacitor?: { destroy(error?: Error): void } }).capacitor?.destroy(new Error("Duplicate multipart file field."));
          return;
        }
        this[ORIGINAL_RESOLVE]!(file);
      };
    },
  });
}

export function multipartRequests(): RequestHandler {
  const upload = graphqlUploadExpress({ maxFileSize: config().uploads.maxFileBytes, maxFiles: config().uploads.maxFiles });
  return (request, response, next) =>
    upload(request, response, (error?: unknown) => {
      // graphql-upload's own refusals carry an HTTP status; the parser's (busboy) errors do not.
      if (error && typeof (error as { status?: unknown }).status !== "number") {
        return next(
          Object.assign(new Error(`The multipart request is malformed: ${String((error as Error).message ?? error).slice(0, 200)}`), {
            status: 400,
            expose: true,
          }),
        );
      }
      next(error);
    });
}
