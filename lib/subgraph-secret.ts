// Subgraphs answer the gateway and each other only: with SUBGRAPH_SECRET set, every request but /health and /ready
// must carry it, so _entities, _service and the internal operations are not open to whoever can reach the port.
import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { config } from "./config";
import { ErrorCode } from "./errors";
import { logger } from "./logger";

export const SUBGRAPH_SECRET_HEADER = "x-subgraph-secret";

/** The header the gateway and service-to-service calls add to every subgraph request (none when no secret is set). */
export function subgraphSecretHeaders(): Record<string, string> {
  const secret = config().subgraphSecret;
  return secret ? { [SUBGRAPH_SECRET_HEADER]: secret } : {};
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant-time comparison: hashing first makes both sides the same length, so the length leaks nothing either. */
export function isSubgraphSecret(given: unknown, secret: string): boolean {
  return typeof given === "string" && timingSafeEqual(digest(given), digest(secret));
}

/** Refuses requests without the secret (403, coded); lets everything through when no secret is configured. */
export function subgraphSecretGuard(): RequestHandler {
  return (request, response, next) => {
    const secret = config().subgraphSecret;
    if (!secret || isSubgraphSecret(request.headers[SUBGRAPH_SECRET_HEADER], secret)) return next();
    logger.warn("request without the subgraph secret refused", { path: request.path, ip: request.socket.remoteAddress });
    response.status(403).json({
      errors: [{ message: "This service answers the API gateway only.", extensions: { code: ErrorCode.FORBIDDEN } }],
    });
  };
}
