// Streams GET /media/* and /exports/* from the entries service, so partners use one host for the API, media and
// exports. Only a normalised path that stays under /media/ or /exports/ is forwarded: dot segments (encoded or not),
// encoded slashes or backslashes and control characters are refused by the gateway, so a crafted path can never
// reach another route of the entries service with the subgraph secret. Answers name no service.
import { Readable } from "node:stream";
import type { NextFunction, Request, Response } from "express";
import { logger } from "../lib/logger";
import { subgraphSecretHeaders } from "../lib/subgraph-secret";

const PASSED_HEADERS = ["content-type", "content-length", "content-range", "accept-ranges", "cache-control", "x-content-type-options", "content-disposition"];
const FORWARDED_PREFIXES = ["/media/", "/exports/"];

/**
 * The path and query to forward, or undefined when the request's path is not plainly under /media/ or /exports/.
 * Every segment is decoded once and must not be "." or "..", nor hold a slash, backslash, NUL or control character.
 */
export function forwardablePath(originalUrl: string): string | undefined {
  const queryAt = originalUrl.indexOf("?");
  const rawPath = queryAt === -1 ? originalUrl : originalUrl.slice(0, queryAt);
  const query = queryAt === -1 ? "" : originalUrl.slice(queryAt);
  const prefix = FORWARDED_PREFIXES.find((candidate) => rawPath.startsWith(candidate));
  if (!prefix) return undefined;
  const segments = rawPath.slice(1).split("/");
  for (const segment of segments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    // eslint-disable-next-line no-control-regex
    if (decoded === "." || decoded === ".." || /[/\\\u0000-\u001f\u007f]/.test(decoded) || segment === "") return undefined;
  }
  // What the URL parser makes of it must be the same path (nothing it would still normalise).
  if (new URL(rawPath, "http://gateway.invalid").pathname !== rawPath) return undefined;
  return `${rawPath}${query}`;
}

function notFound(response: Response): void {
  response.status(404).json({ errors: [{ message: "No such media file or export.", extensions: { code: "NOT_FOUND" } }] });
}

export function entriesProxy(entriesUrl: string) {
  const origin = new URL(entriesUrl).origin;
  const proxy = async (request: Request, response: Response): Promise<void> => {
    const path = forwardablePath(request.originalUrl);
    if (!path) return notFound(response);
    try {
      const upstream = await fetch(`${origin}${path}`, {
        method: request.method === "HEAD" ? "HEAD" : "GET",
        headers: {
          ...subgraphSecretHeaders(),
          ...(request.headers.range ? { range: String(request.headers.range) } : {}),
          ...(request.headers.authorization ? { authorization: String(request.headers.authorization) } : {}),
        },
        redirect: "manual",
        signal: AbortSignal.timeout(60_000),
      });
      if (upstream.status >= 500 || (upstream.status >= 300 && upstream.status < 400)) {
        // Whatever went wrong inside stays inside: no upstream body, status text or location.
        logger.warn("media proxy got an unexpected answer", { status: upstream.status });
        await upstream.body?.cancel().catch(() => undefined);
        response
          .status(502)
          .json({ errors: [{ message: "Media are unavailable right now; try again shortly.", extensions: { code: "SERVICE_UNAVAILABLE" } }] });
        return;
      }
      response.status(upstream.status);
      for (const name of PASSED_HEADERS) {
        const value = upstream.headers.get(name);
        if (value) response.setHeader(name, value);
      }
      if (!upstream.body || request.method === "HEAD") {
        response.end();
        return;
      }
      Readable.fromWeb(upstream.body as never)
        .on("error", (error) => response.destroy(error))
        .pipe(response);
    } catch (error) {
      logger.warn("media proxy failed", { error });
      response.status(502).json({ errors: [{ message: "Media are unavailable right now; try again shortly.", extensions: { code: "SERVICE_UNAVAILABLE" } }] });
    }
  };
  /** Refuses, before any other work, a path that is not plainly under /media/ or /exports/. */
  const checkPath = (request: Request, response: Response, next: NextFunction): void => (forwardablePath(request.originalUrl) ? next() : notFound(response));
  return Object.assign(proxy, { checkPath });
}
