// Signs and checks expiring media URLs (HMAC-SHA256), so unpublished work is reachable only through a link we issued.
import { createHmac, timingSafeEqual } from "node:crypto";

const MIN_SECRET_LENGTH = 32;
const SIGNATURE_BYTES = 32;

/**
 * The query string that grants access to one size of one media object until expiresAt, e.g.
 * "?exp=1767225600&sig=…". The signature covers key, size and expiry, so none can be changed.
 */
export function signMediaPath(key: string, size: string, expiresAt: Date, secret: string): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  if (!Number.isSafeInteger(expires) || expires <= 0) throw new Error("signMediaPath: expiresAt must be a valid date");
  const params = new URLSearchParams({ exp: String(expires), sig: signature(key, size, expires, secret) });
  return `?${params.toString()}`;
}

/**
 * True only when the signature was made with secret for this key and size and has not expired at now.
 * query is what followed the "?" (with or without it), or already-parsed parameters.
 */
export function verifyMediaSignature(
  key: string,
  size: string,
  query: string | URLSearchParams | { exp?: unknown; sig?: unknown },
  secret: string,
  now: Date = new Date(),
): boolean {
  const params = typeof query === "string" ? new URLSearchParams(query.startsWith("?") ? query.slice(1) : query) : query;
  const exp = params instanceof URLSearchParams ? params.get("exp") : params.exp;
  const sig = params instanceof URLSearchParams ? params.get("sig") : params.sig;
  if (typeof exp !== "string" || typeof sig !== "string" || !/^\d{1,12}$/.test(exp)) return false;

  const given = Buffer.from(sig, "base64url");
  // Buffer.from drops characters that are not base64url; the round trip refuses such padded or mangled input.
  if (given.length !== SIGNATURE_BYTES || given.toString("base64url") !== sig) return false;
  const expected = Buffer.from(signature(key, size, Number(exp), secret), "base64url");
  if (!timingSafeEqual(given, expected)) return false;
  return Number(exp) * 1000 > now.getTime();
}

function signature(key: string, size: string, expires: number, secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`media URL secret must be at least ${MIN_SECRET_LENGTH} characters long`);
  // JSON keeps the fields apart: no choice of key and size can produce another pair's signed text.
  return createHmac("sha256", secret)
    .update(JSON.stringify([key, size, expires]))
    .digest("base64url");
}
