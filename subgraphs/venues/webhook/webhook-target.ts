// Where a webhook may point: HTTPS to a public address. Private, loopback and link-local targets (and plain
// HTTP) only when WEBHOOK_ALLOW_PRIVATE_TARGETS is on (development). Checked at registration and again on every
// address actually dialled — a resolved name at lookup time, an IP literal before the request, and the socket's
// peer once connected — so neither DNS rebinding nor an IPv4 address wrapped in IPv6 reaches an internal service.
// The classification is ipaddr.js's (lib/network-address), not patterns of our own.
import dns from "node:dns";
import net from "node:net";
import { config } from "../../../lib/config";
import { badInput } from "../../../lib/errors";
import { isPublicUnicastAddress } from "../../../lib/network-address";

/** Raised when a target is refused; the delivery log records only "refused target". */
export class RefusedTargetError extends Error {
  readonly code = "EREFUSEDTARGET";
  constructor() {
    super("refused target");
  }
}

/** True when this address may not be dialled (private targets are refused unless allowed). */
export function isRefusedAddress(address: string | undefined): boolean {
  return !config().webhooks.allowPrivateTargets && !isPublicUnicastAddress(address);
}

/** Parses and checks a webhook URL's form (scheme, no credentials); the address is checked when resolved. */
export function parseWebhookUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(String(value).trim());
  } catch {
    throw badInput("url must be an absolute https:// URL.", { argument: "url" });
  }
  if (url.username || url.password) throw badInput("url must not contain credentials.", { argument: "url" });
  const allowed = config().webhooks.allowPrivateTargets ? ["https:", "http:"] : ["https:"];
  if (!allowed.includes(url.protocol)) throw badInput("url must use https.", { argument: "url" });
  if (String(value).length > 2000) throw badInput("url is too long.", { argument: "url" });
  return url;
}

/** The host of a URL without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** Resolves the host (an IP literal is its own address) and refuses private targets unless allowed. */
export async function assertPublicTarget(url: URL): Promise<void> {
  if (config().webhooks.allowPrivateTargets) return;
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await dns.promises.lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    throw badInput(`The host ${host} could not be resolved.`, { argument: "url" });
  }
  if (addresses.length === 0 || addresses.some(isRefusedAddress)) {
    throw badInput("url resolves to a private, loopback or link-local address; webhooks must reach a public endpoint.", { argument: "url" });
  }
}

/** A dns lookup for http.request that refuses private addresses at connection time (unless allowed). */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: false }, (error, address, family) => {
    if (error) return callback(error, address as string, family);
    if (isRefusedAddress(address as string)) return callback(new RefusedTargetError(), address as string, family);
    callback(null, address as string, family);
  });
};
