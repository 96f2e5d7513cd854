// Signs and verifies the API's JWTs and turns a verified token into the caller (Viewer) every service scopes by.
import jwt from "jsonwebtoken";
import { config } from "./config";
import { unauthenticated } from "./errors";

export enum Role {
  ORGANIZER = "ORGANIZER",
  PARTNER = "PARTNER",
  VENUE = "VENUE",
  JUDGE = "JUDGE",
}
const ROLES = new Set<string>(Object.values(Role));

/** The claims this API puts in a token besides iss/aud/exp/iat. */
export interface TokenClaims {
  sub: string;
  role: Role;
  /** Organisation the caller acts for (PARTNER, VENUE). */
  org?: string;
  /** Venues the caller may act for (VENUE: its venue; PARTNER: its organisation's venues). */
  venues?: string[];
  /** The judge a JUDGE token belongs to. */
  judge?: string;
  /** The API client the token was issued to. */
  cid?: string;
}

/** The verified caller. Anonymous callers (the public) have no Viewer. */
export interface Viewer {
  subject: string;
  role: Role;
  organizationId?: string;
  venueIds: readonly string[];
  judgeId?: string;
  clientId?: string;
}

const ALGORITHM = "HS256" as const;

export function signToken(claims: TokenClaims, ttlSeconds = config().jwt.tokenTtlSeconds): { token: string; expiresAt: Date } {
  const { secret, issuer, audience } = config().jwt;
  const { sub, ...rest } = claims;
  const token = jwt.sign(rest, secret, { algorithm: ALGORITHM, issuer, audience, subject: sub, expiresIn: ttlSeconds });
  const { exp } = jwt.decode(token) as { exp: number };
  return { token, expiresAt: new Date(exp * 1000) };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** Verifies a token (algorithm pinned; iss, aud, exp required) and returns its caller, or throws UNAUTHENTICATED. */
export function verifyToken(token: string): Viewer {
  const { secret, issuer, audience } = config().jwt;
  let payload: jwt.JwtPayload;
  try {
    const decoded = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer, audience });
    if (typeof decoded === "string") throw new Error("string payload");
    payload = decoded;
  } catch (error) {
    const reason = error instanceof jwt.TokenExpiredError ? "The token has expired; request a new one with issueToken." : "The token is invalid.";
    throw unauthenticated(reason);
  }
  if (typeof payload.exp !== "number") throw unauthenticated("The token has no expiry (exp).");
  if (typeof payload.sub !== "string" || !payload.sub) throw unauthenticated("The token has no subject (sub).");
  if (typeof payload.role !== "string" || !ROLES.has(payload.role)) throw unauthenticated("The token has no valid role.");
  const role = payload.role as Role;
  const venueIds = payload.venues === undefined ? [] : payload.venues;
  if (!isStringArray(venueIds)) throw unauthenticated("The token's venues claim is malformed.");
  const organizationId = typeof payload.org === "string" ? payload.org : undefined;
  const judgeId = typeof payload.judge === "string" ? payload.judge : undefined;
  if ((role === Role.PARTNER || role === Role.VENUE) && !organizationId) throw unauthenticated("The token has no organisation (org).");
  if (role === Role.VENUE && venueIds.length === 0) throw unauthenticated("The venue token names no venue.");
  if (role === Role.JUDGE && !judgeId) throw unauthenticated("The judge token names no judge.");
  return { subject: payload.sub, role, organizationId, venueIds, judgeId, clientId: typeof payload.cid === "string" ? payload.cid : undefined };
}

/** Reads `Authorization: Bearer …`. No header means the public; a malformed or bad token is an error, never the public. */
export function viewerFromAuthorization(header: string | undefined): Viewer | undefined {
  if (header === undefined || header === "") return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw unauthenticated("The Authorization header must be `Bearer <token>`.");
  return verifyToken(match[1]);
}

/** A short-lived organiser token a service uses to call another service's internal API. */
export function serviceToken(service: string): string {
  return signToken({ sub: `service:${service}`, role: Role.ORGANIZER }, 300).token;
}
