// Serves registered operations (trusted documents) by id and refuses unregistered ones from registered-only callers.
// It runs after the body is read and before the operation limits, so a document sent by id is measured like one
// sent as text, and a refused operation costs no parse, no validation and no subgraph request.
//
// Document ids: `documentId` (GraphQL over HTTP's persisted-documents field; "sha256:<hash>" or the bare hash) or
// Apollo's `extensions.persistedQuery.sha256Hash`, in a POST body or a GET query string (GET serves queries only, so
// CDNs can cache public ones). A hash found in the caller's registered set (or the public safelist) is replaced by its
// text; anything else is left to Apollo's automatic persisted queries, except for registered-only callers.
import type { Request, RequestHandler, Response } from "express";
import type { Viewer } from "../../lib/auth";
import { requestContextFrom } from "../../lib/context";
import { ErrorCode } from "../../lib/errors";
import { documentHash } from "../../lib/document-hash";
import type { RegisteredOperationsCache } from "./registered-operations.cache";
import { isBootstrapOperation } from "./bootstrap-operations";

type Fields = Record<string, unknown>;

/** The GraphQL-over-HTTP fields of a request: its query string (GET) or JSON body (POST); undefined when not an object. */
export function fieldsOf(request: Request): Fields | undefined {
  const source: unknown = request.method === "GET" ? request.query : request.body;
  return source && typeof source === "object" && !Array.isArray(source) ? (source as Fields) : undefined;
}

/** The request's extensions object (a JSON string in a GET query string); undefined when absent or malformed. */
function extensionsOf(fields: Fields): Fields | undefined {
  let extensions = fields.extensions;
  if (typeof extensions === "string") {
    try {
      extensions = JSON.parse(extensions);
    } catch {
      return undefined;
    }
  }
  return extensions && typeof extensions === "object" && !Array.isArray(extensions) ? (extensions as Fields) : undefined;
}

/** The document id the request names, lower-cased; documentId wins over the persisted-query extension. */
export function documentIdOf(fields: Fields): { hash: string; viaDocumentId: boolean } | undefined {
  if (typeof fields.documentId === "string") return { hash: fields.documentId.replace(/^sha256:/i, "").toLowerCase(), viaDocumentId: true };
  const persisted = extensionsOf(fields)?.persistedQuery as Fields | undefined;
  if (persisted && typeof persisted.sha256Hash === "string") return { hash: persisted.sha256Hash.toLowerCase(), viaDocumentId: false };
  return undefined;
}

/** Puts the registered text where Apollo and the operation limits read it, dropping the id. */
function useDocument(request: Request, fields: Fields, document: string): void {
  const extensions = extensionsOf(fields);
  if (extensions) delete extensions.persistedQuery;
  if (request.method !== "GET") {
    fields.query = document;
    delete fields.documentId;
    if (extensions) fields.extensions = extensions;
    return;
  }
  // Express parses GET parameters from the URL on every read: rewrite the URL itself.
  const url = new URL(request.url, "http://gateway.invalid");
  url.searchParams.set("query", document);
  url.searchParams.delete("documentId");
  if (extensions && Object.keys(extensions).length) url.searchParams.set("extensions", JSON.stringify(extensions));
  else url.searchParams.delete("extensions");
  request.url = `${url.pathname}${url.search}`;
}

function refuse(response: Response, status: number, code: string, message: string): void {
  // A refusal must never be cached by a CDN in front of GET requests: the operation may be registered a moment later.
  response.setHeader("cache-control", "private, no-cache, must-revalidate");
  response.status(status).json({ errors: [{ message, extensions: { code } }] });
}

function viewerOf(request: Request): Viewer | undefined | "invalid" {
  try {
    return requestContextFrom(request).viewer;
  } catch {
    return "invalid";
  }
}

export function persistedOperationsMiddleware(cache: RegisteredOperationsCache): RequestHandler {
  return (request, response, next) => {
    const fields = fieldsOf(request);
    const viewer = fields ? viewerOf(request) : undefined;
    // Malformed requests and bad tokens are Apollo's to refuse, with its own codes.
    if (!fields || viewer === "invalid") return next();
    void (async () => {
      const registeredOnly = cache.isRegisteredOnly(viewer);
      const id = documentIdOf(fields);
      const query = typeof fields.query === "string" ? fields.query : undefined;
      if (query === undefined && id) {
        const document = await cache.findFresh(viewer, id.hash);
        if (document !== undefined) {
          useDocument(request, fields, document);
          return next();
        }
        if (registeredOnly || id.viaDocumentId) {
          return refuse(
            response,
            200,
            "PERSISTED_QUERY_NOT_FOUND",
            `No operation is registered under ${id.hash.slice(0, 80)} for this client; register it with registerOperations.`,
          );
        }
        return next();
      }
      if (registeredOnly && query !== undefined && !isBootstrapOperation(query) && (await cache.findFresh(viewer, documentHash(query))) === undefined) {
        return refuse(
          response,
          400,
          ErrorCode.OPERATION_NOT_REGISTERED,
          "This client may send only operations it registered (registerOperations): send the registered document's id, or its exact text.",
        );
      }
      next();
    })().catch(next);
  };
}
