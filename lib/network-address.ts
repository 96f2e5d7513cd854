// What an IP address is, decided by ipaddr.js's ranges rather than hand-written patterns: whether a webhook may
// dial it, and which group of addresses shares one budget (an IPv6 /64 is one subscriber, not 2^64 callers).
import ipaddr from "ipaddr.js";

/** Parses an address (IPv4, IPv6, IPv4-mapped IPv6; brackets and a zone index allowed); undefined when it is none. */
function parseAddress(address: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!address) return undefined;
  const bare = address
    .trim()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return undefined;
  const parsed = ipaddr.parse(bare);
  // An IPv4 address written as IPv6 (::ffff:a.b.c.d) is that IPv4 address: one rule, one bucket.
  return parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}

/**
 * True only for a globally routable unicast address. Everything else is refused as a webhook target: loopback,
 * private, link-local, carrier-grade NAT, multicast, reserved, and every IPv6 range that carries an IPv4 address
 * inside it (IPv4-mapped, IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32), since
 * the IPv4 address it reaches cannot be told from outside the network that translates it.
 */
export function isPublicUnicastAddress(address: string | undefined): boolean {
  const parsed = parseAddress(address);
  if (!parsed || parsed.range() !== "unicast") return false;
  if (parsed.kind() === "ipv6") {
    const parts = (parsed as ipaddr.IPv6).parts;
    // ::/96 (IPv4-compatible, deprecated) is "unicast" to ipaddr.js.
    if (parts.slice(0, 6).every((part) => part === 0)) return false;
  }
  return true;
}

/**
 * The key an address's public budgets are counted under: an IPv4 address as it is; an IPv6 address by its
 * network prefix (IPV6_PREFIX_LENGTH, /64 by default, the block one subscriber gets). Unparseable → "unknown".
 */
export function addressGroup(address: string | undefined, ipv6PrefixLength: number): string {
  const parsed = parseAddress(address);
  if (!parsed) return "unknown";
  if (parsed.kind() === "ipv4") return parsed.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/${ipv6PrefixLength}`);
  return `${network.toString()}/${ipv6PrefixLength}`;
}
