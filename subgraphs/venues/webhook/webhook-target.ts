// Where a webhook may point: HTTPS to a public address. Private, loopback and link-local targets (and plain
// HTTP) only when WEBHOOK_ALLOW_PRIVATE_TARGETS is on (development). Checked at registration and again at
// connection time, on the address actually dialled, so DNS rebinding cannot reach an internal service.
import dns from "node:dns";
import net from "node:net";
import { config } from "../../../lib/config";
import { badInput } from "../../../lib/errors";

function isPrivateAddress(address: string): boolean {
  const ip = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split(".").map(Number);
    return (
      a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) || a >= 224
    );
  }
  const lower = ip.toLowerCase();
  return lower === "::1" || lower === "::" || lower.startsWith("fe8") || lower.startsWith("fe9") || lower.startsWith("fea") || lower.startsWith("feb") ||
    lower.startsWith("fc") || lower.startsWith("fd") || lower.startsWith("ff");
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

/** Resolves the host and refuses private targets unless allowed. */
export async function assertPublicTarget(url: URL): Promise<void> {
  if (config().webhooks.allowPrivateTargets) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await dns.promises.lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    throw badInput(`The host ${host} could not be resolved.`, { argument: "url" });
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw badInput("url resolves to a private, loopback or link-local address; webhooks must reach a public endpoint.", { argument: "url" });
  }
}

/** A dns lookup for http.request that refuses private addresses at connection time (unless allowed). */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: false }, (error, address, family) => {
    if (error) return callback(error, address as string, family);
    if (!config().webhooks.allowPrivateTargets && isPrivateAddress(address as string)) {
      return callback(Object.assign(new Error(`refused private address ${address}`), { code: "EPRIVATE" }), address as string, family);
    }
    callback(null, address as string, family);
  });
};

export { isPrivateAddress };
