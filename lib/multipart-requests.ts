// graphql-upload's middleware (files buffered on disk, not in memory), with the multipart parser's own failures —
// a body cut short, a broken part header, no boundary — answered as the client's mistake (400, coded) instead of a 500.
import type { RequestHandler } from "express";
import graphqlUploadExpress from "graphql-upload/graphqlUploadExpress.mjs";
import { config } from "./config";

export function multipartRequests(): RequestHandler {
  const upload = graphqlUploadExpress({ maxFileSize: config().uploads.maxFileBytes, maxFiles: config().uploads.maxFiles });
  return (request, response, next) =>
    upload(request, response, (error?: unknown) => {
      // graphql-upload's own refusals carry an HTTP status; the parser's (busboy) errors do not.
      if (error && typeof (error as { status?: unknown }).status !== "number") {
        return next(Object.assign(new Error(`The multipart request is malformed: ${String((error as Error).message ?? error).slice(0, 200)}`), { status: 400, expose: true }));
      }
      next(error);
    });
}
