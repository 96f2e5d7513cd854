// Signs and verifies the API's JWTs and turns a verified token into the caller (Viewer) every service scopes by.
import { createPublicKey, createSecretKey, KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { config } from "./config";
import { GraphQLError } from "graphql";
import { unauthenticated } from "./errors";
import { assertRevocationsFresh, isRevoked } from "./revocation";

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
  /** The client's own rate limit [requests per second, burst], when an organiser set one. */
  rl?: [number, number];
}

/** The verified caller. Anonymous callers (the public) have no Viewer. */
export interface Viewer {
  subject: string;
  role: Role;
  organizationId?: string;
  venueIds: readonly string[];
  judgeId?: string;
  clientId?: string;
  /** Per-client override of the gateway's rate limit. */
  rateLimit?: { perSecond: number; burst: number };
}

let hmac: { secret: string; key: KeyObject } | undefined;
/**
 * The HS256 secret as a KeyObject, made once. Given a string, jsonwebtoken tries it as a PEM public key first (an
 * exception thrown and caught) and then as a secret, on every call: the top CPU frame of every service under load.
 */
function hmacKey(secret: string): KeyObject {
  if (hmac?.secret !== secret) hmac = { secret, key: createSecretKey(Buffer.from(secret)) };
  return hmac.key;
}

/** Signs with the configured key pair (RS256/ES256 with its key id) or, without one, HS256 with the secret. */
export function signToken(claims: TokenClaims, ttlSeconds = config().jwt.tokenTtlSeconds): { token: string; expiresAt: Date } {
  const { secret, signingKey, issuer, audience } = config().jwt;
  const { sub, ...rest } = claims;
  const options = { issuer, audience, subject: sub, expiresIn: ttlSeconds };
  const token = signingKey
    ? jwt.sign(rest, signingKey.key, { ...options, algorithm: signingKey.algorithm, keyid: signingKey.kid })
    : jwt.sign(rest, hmacKey(secret!), { ...options, algorithm: "HS256" });
  const { exp } = jwt.decode(token) as { exp: number };
  return { token, expiresAt: new Date(exp * 1000) };
}

/**
 * Verifies the signature with the key the token names, its algorithm pinned to that key's type: a token with a
 * key id only with that public key (RS256/ES256), one without only with the HS256 secret. So neither "none" nor a
 * public key used as an HMAC secret can pass.
 */
function verifySignature(token: string): jwt.JwtPayload {
  const { secret, verificationKeys, issuer, audience } = config().jwt;
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === "string") throw new Error("malformed");
  const kid = decoded.header.kid;
  let verified: string | jwt.JwtPayload;
  if (kid !== undefined) {
    const key = verificationKeys.get(kid);
    if (!key) throw unauthenticated("The token was signed with an unknown key (kid).");
    verified = jwt.verify(token, key.key, { algorithms: [key.algorithm], issuer, audience });
  } else {
    if (!secret) throw unauthenticated("The token has no key id (kid).");
    verified = jwt.verify(token, hmacKey(secret), { algorithms: ["HS256"], issuer, audience });
  }
  if (typeof verified === "string") throw new Error("string payload");
  return verified;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** Verifies a token (algorithm pinned; iss, aud, exp required) and returns its caller, or throws UNAUTHENTICATED. */
export function verifyToken(token: string): Viewer {
  let payload: jwt.JwtPayload;
  try {
    payload = verifySignature(token);
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
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
  const clientId = typeof payload.cid === "string" ? payload.cid : undefined;
  if (clientId) {
    if (isRevoked(clientId, payload.iat)) throw unauthenticated("The API client behind this token has been revoked.");
    assertRevocationsFresh();
  }
  const rateLimit =
    Array.isArray(payload.rl) && payload.rl.length === 2 && payload.rl.every((n: unknown) => Number.isInteger(n) && (n as number) > 0)
      ? { perSecond: payload.rl[0] as number, burst: payload.rl[1] as number }
      : undefined;
  return { subject: payload.sub, role, organizationId, venueIds, judgeId, clientId, rateLimit };
}

/** Reads `Authorization: Bearer …`. No header means the public; a malformed or bad token is an error, never the public. */
export function viewerFromAuthorization(header: string | undefined): Viewer | undefined {
  if (header === undefined || header === "") return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw unauthenticated("The Authorization header must be `Bearer <token>`.");
  return verifyToken(match[1]);
}

/**
 * Signs a document (not a bearer token: no audience, expiry, subject or role, so verifyToken refuses it) as a
 * compact JWS with the token signing key. With JWT_PRIVATE_KEY (RS256/ES256, header kid) anyone can verify it
 * with the public key from publicJwks(); with only the HS256 secret (development) just this API can.
 */
export function signDocument(payload: Record<string, unknown>): string {
  const { secret, signingKey, issuer } = config().jwt;
  const options = { issuer, noTimestamp: true };
  return signingKey
    ? jwt.sign(payload, signingKey.key, { ...options, algorithm: signingKey.algorithm, keyid: signingKey.kid })
    : jwt.sign(payload, hmacKey(secret!), { ...options, algorithm: "HS256" });
}

/** The claims of a document signed by signDocument, or undefined when its signature or issuer does not verify. */
export function verifyDocument(jws: string): Record<string, unknown> | undefined {
  const { secret, verificationKeys, issuer } = config().jwt;
  try {
    const kid = jwt.decode(jws, { complete: true })?.header.kid;
    const key = kid === undefined ? undefined : verificationKeys.get(kid);
    if (kid !== undefined && !key) return undefined;
    if (kid === undefined && !secret) return undefined;
    const claims = key
      ? jwt.verify(jws, key.key, { algorithms: [key.algorithm], issuer })
      : jwt.verify(jws, hmacKey(secret!), { algorithms: ["HS256"], issuer });
    return typeof claims === "string" ? undefined : claims;
  } catch {
    return undefined;
  }
}

/** The public keys that verify this API's signatures, as a JSON Web Key Set (RFC 7517); empty with only an HS256 secret. */
export function publicJwks(): { keys: Record<string, unknown>[] } {
  const keys = [...config().jwt.verificationKeys.values()].map((key) => ({
    ...(key.key.type === "public" ? key.key : createPublicKey(key.key)).export({ format: "jwk" }),
    kid: key.kid,
    alg: key.algorithm,
    use: "sig",
  }));
  return { keys };
}

/** A short-lived organiser token a service uses to call another service's internal API. */
export function serviceToken(service: string): string {
  return signToken({ sub: `service:${service}`, role: Role.ORGANIZER }, 300).token;
}
