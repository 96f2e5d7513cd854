// What every service knows about a request: who is calling, which request it is, which languages it reads.
import type { IncomingHttpHeaders } from "node:http";
import { Role, Viewer, viewerFromAuthorization } from "./auth";
import { forbidden, unauthenticated } from "./errors";
import { currentRequestScope } from "./request-context";

export interface RequestContext {
  viewer: Viewer | undefined;
  requestId: string;
  /** Preferred languages, best first, from the Accept-Language header. */
  locales: string[];
  /** The client's address (behind the gateway: the one the gateway forwards in X-Forwarded-For). */
  clientIp: string | undefined;
  /** An anonymous visitor id from the `x-visitor-id` header (a UUID the visitor's site keeps in a cookie). */
  visitorId: string | undefined;
}

export const VISITOR_ID_HEADER = "x-visitor-id";

/** What the context is built from: the HTTP request's headers and the address express resolved. */
export interface IncomingRequest {
  headers: IncomingHttpHeaders;
  ip?: string;
}

/** Parses Accept-Language into language tags ordered by quality, e.g. ["pt-PT", "pt", "en"]. */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const quality = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: quality === undefined ? 1 : Number(quality), index };
    })
    .filter((item) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(item.tag) && item.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((item) => item.tag)
    .slice(0, 10);
}

/** The outcome of verifying a request's token, kept so it is verified once however many steps ask (admission, limits, context). */
const verifiedTokens = new WeakMap<IncomingRequest, { viewer: Viewer | undefined } | { error: unknown }>();

/** The request's caller: its token verified once per request; a bad token throws UNAUTHENTICATED every time it is asked. */
export function verifiedViewer(request: IncomingRequest): Viewer | undefined {
  let outcome = verifiedTokens.get(request);
  if (!outcome) {
    const authorization = request.headers.authorization;
    try {
      outcome = { viewer: viewerFromAuthorization(typeof authorization === "string" ? authorization : undefined) };
    } catch (error) {
      outcome = { error };
    }
    verifiedTokens.set(request, outcome);
  }
  if ("error" in outcome) throw outcome.error;
  return outcome.viewer;
}

/** Builds the request context from an HTTP request; a bad token is an UNAUTHENTICATED error, never the public. */
export function requestContextFrom(request: IncomingRequest): RequestContext {
  const { headers } = request;
  const viewer = verifiedViewer(request);
  const acceptLanguage = headers["accept-language"];
  return {
    viewer,
    requestId: currentRequestScope()?.requestId ?? "unknown",
    locales: parseAcceptLanguage(typeof acceptLanguage === "string" ? acceptLanguage : undefined),
    clientIp: request.ip,
    visitorId: typeof headers[VISITOR_ID_HEADER] === "string" ? (headers[VISITOR_ID_HEADER] as string).slice(0, 200) : undefined,
  };
}

/** The caller, or UNAUTHENTICATED when there is none. */
export function requireViewer(context: RequestContext): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}

/**
 * The caller, when it holds one of `roles`; UNAUTHENTICATED without a token, FORBIDDEN with another role.
 * @deprecated In subgraphs, name the action in the subgraph's policy table and call `policy.assertCan(context, action)`
 * (lib/policy.ts); tests/unit/role-gates.test.ts refuses role checks outside the visibility modules.
 */
export function requireRole(context: RequestContext, ...roles: Role[]): Viewer {
  const viewer = requireViewer(context);
  if (!roles.includes(viewer.role)) {
    throw forbidden(`This operation needs one of these roles: ${roles.join(", ")}; your token has ${viewer.role}.`);
  }
  return viewer;
}

/** @deprecated Use the subgraph visibility module's predicates (they build on lib/policy.ts). */
export const isOrganizer = (viewer: Viewer | undefined): boolean => viewer?.role === Role.ORGANIZER;
