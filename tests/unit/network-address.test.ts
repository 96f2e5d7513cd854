import { addressGroup, isPublicUnicastAddress } from "../../lib/network-address";
import { WebhookCircuits } from "../../subgraphs/venues/webhook/webhook-circuit";

describe("isPublicUnicastAddress", () => {
  it.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e"])("accepts the public address %s", (address) => {
    expect(isPublicUnicastAddress(address)).toBe(true);
  });

  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd12::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "[::ffff:10.0.0.1]",
    "::127.0.0.1",
    "::7f00:1",
    "::808:808",
    "64:ff9b::7f00:1",
    "64:ff9b::808:808",
    "2002:7f00:1::1",
    "2002:808:808::1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",
    "not an address",
    "",
    "fe80::1%eth0",
  ])("refuses %s (private, special, or an IPv4 address carried in IPv6)", (address) => {
    expect(isPublicUnicastAddress(address)).toBe(false);
  });
});

describe("addressGroup", () => {
  it("keeps an IPv4 address (mapped or not) as itself", () => {
    expect(addressGroup("203.0.113.7", 64)).toBe("203.0.113.7");
    expect(addressGroup("::ffff:203.0.113.7", 64)).toBe("203.0.113.7");
  });

  it("groups IPv6 addresses by the configured prefix", () => {
    const a = addressGroup("2001:db8:1:2:aaaa::1", 64);
    expect(addressGroup("2001:db8:1:2:ffff:ffff:ffff:ffff", 64)).toBe(a);
    expect(addressGroup("2001:db8:1:3::1", 64)).not.toBe(a);
    expect(addressGroup("2001:db8:1:3::1", 48)).toBe(addressGroup("2001:db8:1:2::1", 48));
    expect(addressGroup("2001:db8:1:2::1", 128)).not.toBe(addressGroup("2001:db8:1:2::2", 128));
  });

  it("puts anything unparseable in one group", () => {
    expect(addressGroup(undefined, 64)).toBe("unknown");
    expect(addressGroup("x", 64)).toBe("unknown");
  });
});

describe("WebhookCircuits", () => {
  it("opens after the configured consecutive failures and only then", () => {
    const circuits = new WebhookCircuits({ failures: 3, openMs: 1000 });
    circuits.record("a", false, 0);
    circuits.record("a", false, 0);
    expect(circuits.isOpen("a", 0)).toBe(false);
    circuits.record("a", false, 0);
    expect(circuits.isOpen("a", 0)).toBe(true);
    expect(circuits.openEndpoints(0)).toEqual(["a"]);
  });

  it("lets a trial through after the open period; a failed trial opens it again, a success closes it", () => {
    const circuits = new WebhookCircuits({ failures: 2, openMs: 1000 });
    circuits.record("a", false, 0);
    circuits.record("a", false, 0);
    expect(circuits.isOpen("a", 1000)).toBe(false);
    circuits.record("a", false, 1000);
    expect(circuits.isOpen("a", 1500)).toBe(true);
    circuits.record("a", true, 2100);
    expect(circuits.isOpen("a", 2100)).toBe(false);
    circuits.record("a", false, 2100);
    expect(circuits.isOpen("a", 2100)).toBe(false);
  });

  it("keeps endpoints apart", () => {
    const circuits = new WebhookCircuits({ failures: 1, openMs: 1000 });
    circuits.record("a", false, 0);
    expect(circuits.isOpen("b", 0)).toBe(false);
  });
});
