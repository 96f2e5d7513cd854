// The example venue submission site's server: serves the page and is the only holder of the API token.
// The browser logs in with the venue's client id and secret once; this server exchanges them for a token
// (issueToken), keeps the token in memory under a random session id, and gives the browser only an
// HttpOnly cookie naming that session. API calls go through here: JSON operations by name (the typed
// documents from examples/client/generated.ts), uploads streamed straight through to the gateway.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import express from "express";
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  CompetitionRulesDocument,
  CompleteMediaUploadDocument,
  CreateEntryDocument,
  IssueTokenDocument,
  MediaUploadDocument,
  MyVenueDocument,
  StartMediaUploadDocument,
  SubmitEntryDocument,
  UploadPhotosDocument,
  UploadVideoDocument,
  VenueEntriesDocument,
} from "../client/generated";
import { GraphqlError, request } from "../client/graphql-client";

const COOKIE = "venue_site_session";

/** The only operations the page may run, by name: the browser never sends GraphQL text of its own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents of different result and variable types in one table; the API checks the variables
const OPERATIONS: Record<string, TypedDocumentNode<any, any>> = {
  CompetitionRules: CompetitionRulesDocument,
  CreateEntry: CreateEntryDocument,
  StartMediaUpload: StartMediaUploadDocument,
  MediaUpload: MediaUploadDocument,
  CompleteMediaUpload: CompleteMediaUploadDocument,
  SubmitEntry: SubmitEntryDocument,
  VenueEntries: VenueEntriesDocument,
};

interface Session {
  token: string;
  expiresAt: number;
  venueId: string;
}

export interface VenueSiteOptions {
  /** The gateway's GraphQL URL, e.g. http://localhost:4000/graphql. */
  gatewayUrl: string;
  port: number;
  host?: string;
}

export interface RunningVenueSite {
  url: string;
  stop(): Promise<void>;
}

/** The page's files sit next to this file in the source tree (also when running the compiled copy from dist/). */
function publicDirectory(): string {
  for (let directory = __dirname; ; directory = path.dirname(directory)) {
    for (const candidate of [path.join(directory, "public"), path.join(directory, "examples", "venue-site", "public")]) {
      if (fs.existsSync(path.join(candidate, "index.html"))) return candidate;
    }
    if (path.dirname(directory) === directory) throw new Error("examples/venue-site/public not found");
  }
}

/** The venue ids a VENUE token acts for, read from its payload (the API verified and signed it; we only read it). */
function venueIdsOf(token: string): string[] {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
  return Array.isArray(payload.venues) ? payload.venues : [];
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

export async function startVenueSite(options: VenueSiteOptions): Promise<RunningVenueSite> {
  const sessions = new Map<string, Session>();
  const app = express();
  app.disable("x-powered-by");

  const sessionOf = (req: express.Request): Session | undefined => {
    const id = cookieValue(req.headers.cookie, COOKIE);
    const session = id ? sessions.get(id) : undefined;
    if (session && session.expiresAt <= Date.now() + 30_000) {
      sessions.delete(id!); // an expired token: log in again
      return undefined;
    }
    return session;
  };
  const requireSession: express.RequestHandler = (req, res, next) => {
    const session = sessionOf(req);
    if (!session) res.status(401).json({ errors: [{ message: "Not logged in (or the session expired).", extensions: { code: "UNAUTHENTICATED" } }] });
    else {
      res.locals.session = session;
      next();
    }
  };
  const sendError = (res: express.Response, error: unknown) => {
    if (error instanceof GraphqlError) res.status(400).json({ errors: error.errors });
    else res.status(502).json({ errors: [{ message: "The API could not be reached.", extensions: { code: "BAD_GATEWAY" } }] });
  };

  app.use(express.static(publicDirectory(), { index: "index.html" }));
  // Uppy's prebuilt browser bundle, straight from the npm package: the page has no build step.
  app.use("/vendor/uppy", express.static(path.dirname(require.resolve("uppy/dist/uppy.min.js"))));

  // Only JSON bodies on these routes: a cross-site form cannot send application/json, and the cookie is SameSite=Strict.
  app.post("/api/login", express.json(), async (req, res) => {
    const { clientId, clientSecret } = req.body ?? {};
    try {
      const { issueToken } = await request(options.gatewayUrl, IssueTokenDocument, {
        clientId: String(clientId ?? ""),
        clientSecret: String(clientSecret ?? ""),
      });
      const venueId = venueIdsOf(issueToken.accessToken)[0];
      if (issueToken.role !== "VENUE" || !venueId) {
        res.status(403).json({ errors: [{ message: "These credentials are not a venue's.", extensions: { code: "FORBIDDEN" } }] });
        return;
      }
      const id = randomBytes(32).toString("base64url");
      sessions.set(id, { token: issueToken.accessToken, expiresAt: Date.parse(issueToken.expiresAt), venueId });
      res.setHeader("set-cookie", `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`);
      res.json({ ok: true });
    } catch (error) {
      sendError(res, error);
    }
  });

  app.post("/api/logout", (req, res) => {
    const id = cookieValue(req.headers.cookie, COOKIE);
    if (id) sessions.delete(id);
    res.setHeader("set-cookie", `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    res.json({ ok: true });
  });

  // Who is logged in: the venue, and the upload mutations' text for the page's multipart requests.
  app.get("/api/session", requireSession, async (_req, res) => {
    const session = res.locals.session as Session;
    try {
      const { venue } = await request(options.gatewayUrl, MyVenueDocument, { id: session.venueId }, session.token);
      res.json({ venue, uploadPhotos: print(UploadPhotosDocument), uploadVideo: print(UploadVideoDocument) });
    } catch (error) {
      sendError(res, error);
    }
  });

  app.post("/api/operations/:name", requireSession, express.json(), async (req, res) => {
    const document = OPERATIONS[String(req.params.name)];
    if (!document) {
      res.status(404).json({ errors: [{ message: "Unknown operation.", extensions: { code: "NOT_FOUND" } }] });
      return;
    }
    try {
      res.json({ data: await request(options.gatewayUrl, document, req.body?.variables ?? {}, (res.locals.session as Session).token) });
    } catch (error) {
      sendError(res, error);
    }
  });

  // Multipart uploads: piped to the gateway as they arrive (never buffered here), with the session's token added.
  app.post("/api/upload", requireSession, (req, res) => {
    const contentType = req.headers["content-type"] ?? "";
    if (!contentType.startsWith("multipart/form-data") || req.headers["apollo-require-preflight"] !== "true") {
      res
        .status(400)
        .json({ errors: [{ message: "Send a GraphQL multipart request with apollo-require-preflight: true.", extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    const target = new URL(options.gatewayUrl);
    const upstream = (target.protocol === "https:" ? https : http).request(target, {
      method: "POST",
      headers: {
        "content-type": contentType,
        ...(req.headers["content-length"] ? { "content-length": req.headers["content-length"] } : {}),
        authorization: `Bearer ${(res.locals.session as Session).token}`,
        "apollo-require-preflight": "true",
      },
    });
    upstream.on("response", (answer) => {
      res.status(answer.statusCode ?? 502);
      if (answer.headers["content-type"]) res.setHeader("content-type", answer.headers["content-type"]);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.status(502).json({ errors: [{ message: "The API could not be reached.", extensions: { code: "BAD_GATEWAY" } }] });
      else res.destroy();
    });
    req.on("aborted", () => upstream.destroy());
    req.pipe(upstream);
  });

  // Parts of resumable uploads: the part URL (signed by the API for one part of one upload) is the credential,
  // so no token is added; only URLs on the API's own /uploads/ path are relayed, streamed as they arrive.
  // The answer's ETag is passed back: Uppy's S3 uploader counts a part as sent only when it can read one.
  app.put("/api/upload-part", requireSession, (req, res) => {
    const gateway = new URL(options.gatewayUrl);
    let target: URL;
    try {
      target = new URL(String(req.query.url ?? ""));
    } catch {
      target = new URL("invalid:");
    }
    if (target.origin !== gateway.origin || !target.pathname.startsWith("/uploads/")) {
      res.status(400).json({ errors: [{ message: "Not an upload part URL of this API.", extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    const upstream = (target.protocol === "https:" ? https : http).request(target, {
      method: "PUT",
      headers: req.headers["content-length"] ? { "content-length": req.headers["content-length"] } : {},
    });
    upstream.on("response", (answer) => {
      res.status(answer.statusCode ?? 502);
      if (answer.headers["content-type"]) res.setHeader("content-type", answer.headers["content-type"]);
      if (answer.headers.etag) res.setHeader("etag", answer.headers.etag);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.status(502).json({ errors: [{ message: "The API could not be reached.", extensions: { code: "BAD_GATEWAY" } }] });
      else res.destroy();
    });
    req.on("aborted", () => upstream.destroy());
    req.pipe(upstream);
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `npm run example:venue-site`: GATEWAY_URL (default http://localhost:4000/graphql) and VENUE_SITE_PORT (default 4100).
// An example partners copy reads its own settings; the API's services read theirs through lib/config.
if (require.main === module) {
  const gatewayUrl = process.env.GATEWAY_URL ?? "http://localhost:4000/graphql";
  startVenueSite({ gatewayUrl, port: Number(process.env.VENUE_SITE_PORT ?? 4100) }).then((site) => {
    process.stdout.write(`Example venue site: ${site.url} (API: ${gatewayUrl}); demo login demo-venue / demo-venue-secret\n`);
  });
}
