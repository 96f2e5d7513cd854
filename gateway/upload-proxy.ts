// Streams PUT /uploads/* (parts of resumable uploads) to the entries service, byte for byte, with backpressure:
// the gateway holds no more than a socket buffer of any part, whatever its size.
import http from "node:http";
import https from "node:https";
import type { Request, Response } from "express";
import { logger } from "../lib/logger";
import { subgraphSecretHeaders } from "../lib/subgraph-secret";

const PASSED_REQUEST_HEADERS = ["content-length", "content-type", "x-request-id"];
const PASSED_RESPONSE_HEADERS = ["content-type", "content-length", "etag"];

export function uploadProxy(entriesUrl: string) {
  const origin = new URL(entriesUrl);
  const transport = origin.protocol === "https:" ? https : http;
  // Connections are reused between parts, as a browser reuses its connection to the gateway.
  const agent = new transport.Agent({ keepAlive: true });
  return (request: Request, response: Response): void => {
    const headers: Record<string, string> = { ...subgraphSecretHeaders() };
    for (const name of PASSED_REQUEST_HEADERS) if (request.headers[name]) headers[name] = String(request.headers[name]);
    let bodyDone = false;
    let answered = false;
    request.once("end", () => (bodyDone = true));
    const upstream = transport.request(
      { protocol: origin.protocol, hostname: origin.hostname, port: origin.port, path: request.originalUrl, method: "PUT", headers, agent },
      (answer) => {
        response.status(answer.statusCode ?? 502);
        for (const name of PASSED_RESPONSE_HEADERS) if (answer.headers[name]) response.setHeader(name, answer.headers[name]!);
        answer.on("error", (error) => response.destroy(error)).pipe(response);
        answer.once("end", () => {
          answered = true;
          if (bodyDone) return;
          // Answered before the whole part arrived (a refusal): stop forwarding, and read the rest of the part here
          // and drop it, so the caller's connection stays in step for its next request (closing with unread bytes
          // would reset it, and could lose this answer).
          request.unpipe(upstream);
          upstream.destroy();
          request.resume();
        });
      },
    );
    upstream.on("error", (error) => {
      if (answered) return;
      logger.warn("upload proxy failed", { error: error.message });
      if (!response.headersSent) {
        response
          .status(502)
          .json({ errors: [{ message: "The upload part could not be stored right now; send it again.", extensions: { code: "SERVICE_UNAVAILABLE" } }] });
      } else response.destroy();
    });
    // A client that goes away mid-part ends the upstream request too, so the part is not recorded.
    request.on("aborted", () => upstream.destroy(new Error("client went away")));
    request.on("error", (error) => upstream.destroy(error));
    request.pipe(upstream);
  };
}
