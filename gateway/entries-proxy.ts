// Streams GET /media/* and /exports/* from the entries service, so partners use one host for the API, media and exports.
import { Readable } from "node:stream";
import type { Request, Response } from "express";
import { logger } from "../lib/logger";
import { subgraphSecretHeaders } from "../lib/subgraph-secret";

const PASSED_HEADERS = ["content-type", "content-length", "content-range", "accept-ranges", "cache-control", "x-content-type-options", "content-disposition"];

export function entriesProxy(entriesUrl: string) {
  const origin = new URL(entriesUrl).origin;
  return async (request: Request, response: Response): Promise<void> => {
    const target = `${origin}${request.originalUrl}`;
    try {
      const upstream = await fetch(target, {
        method: request.method === "HEAD" ? "HEAD" : "GET",
        headers: {
          ...subgraphSecretHeaders(),
          ...(request.headers.range ? { range: String(request.headers.range) } : {}),
          ...(request.headers.authorization ? { authorization: String(request.headers.authorization) } : {}),
        },
        signal: AbortSignal.timeout(60_000),
      });
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
}
