// Serves stored media at GET /media/<key>?exp=…&sig=…: only with a valid, unexpired signature, streamed, with Range support.
import type { Request, Response } from "express";
import { config } from "../../../lib/config";
import { logger } from "../../../lib/logger";
import { mediaStorage } from "./media-store";
import { verifyMediaSignature } from "./signed-url";
import { assertValidMediaKey } from "./storage";

const CONTENT_TYPES: Record<string, string> = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", mp4: "video/mp4", mov: "video/quicktime" };

function fail(response: Response, status: number, code: string, message: string): void {
  response.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** Parses a single `bytes=start-end` range; anything else serves the whole object. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | "invalid" | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const start = match[1] === "" ? Math.max(0, size - Number(match[2])) : Number(match[1]);
  const end = match[1] === "" || match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start > end || start >= size ? "invalid" : { start, end };
}

export async function serveMedia(request: Request, response: Response): Promise<void> {
  const key = decodeURIComponent(request.path.replace(/^\/media\//, ""));
  try {
    assertValidMediaKey(key);
  } catch {
    return fail(response, 400, "BAD_USER_INPUT", "Invalid media path.");
  }
  if (!verifyMediaSignature(key, "media", request.query as { exp?: unknown; sig?: unknown }, config().mediaUrlSecret)) {
    return fail(response, 403, "FORBIDDEN", "This media link is invalid or has expired; query the API again for a fresh URL.");
  }
  const storage = mediaStorage();
  const stat = await storage.stat(key);
  if (!stat) return fail(response, 404, "NOT_FOUND", "This media file does not exist.");
  const range = parseRange(request.headers.range, stat.bytes);
  if (range === "invalid") {
    response.setHeader("content-range", `bytes */${stat.bytes}`);
    return fail(response, 416, "BAD_USER_INPUT", "The requested range is not satisfiable.");
  }
  response.setHeader("content-type", CONTENT_TYPES[key.split(".").pop()!.toLowerCase()] ?? "application/octet-stream");
  response.setHeader("accept-ranges", "bytes");
  response.setHeader("cache-control", "private, max-age=3600");
  response.setHeader("x-content-type-options", "nosniff");
  response.setHeader("content-disposition", "inline");
  if (range) {
    response.status(206);
    response.setHeader("content-range", `bytes ${range.start}-${range.end}/${stat.bytes}`);
    response.setHeader("content-length", String(range.end - range.start + 1));
  } else {
    response.setHeader("content-length", String(stat.bytes));
  }
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  const stream = await storage.createReadStream(key, range ?? undefined);
  stream.on("error", (error) => {
    logger.warn("media stream failed", { key, error });
    response.destroy(error);
  });
  stream.pipe(response);
}
