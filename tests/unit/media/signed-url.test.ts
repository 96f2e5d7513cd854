import { signMediaPath, verifyMediaSignature } from "../../../subgraphs/entries/media/signed-url";

const SECRET = "a-media-signing-secret-of-at-least-32-chars";
const KEY = "photos/3f/3f2c9a10-1111-4222-8333-944455556666.jpg";
const EXPIRES = new Date("2030-01-01T00:10:00Z");
const BEFORE = new Date("2030-01-01T00:09:59Z");

describe("signed media URLs", () => {
  it("signs a key and size into ?exp=…&sig=… that verifies until it expires", () => {
    const query = signMediaPath(KEY, "DISPLAY", EXPIRES, SECRET);
    expect(query).toMatch(/^\?exp=1893456600&sig=[A-Za-z0-9_-]{43}$/);
    expect(verifyMediaSignature(KEY, "DISPLAY", query, SECRET, BEFORE)).toBe(true);
    expect(verifyMediaSignature(KEY, "DISPLAY", query.slice(1), SECRET, BEFORE)).toBe(true);
    expect(verifyMediaSignature(KEY, "DISPLAY", new URLSearchParams(query), SECRET, BEFORE)).toBe(true);
    const params = new URLSearchParams(query);
    expect(verifyMediaSignature(KEY, "DISPLAY", { exp: params.get("exp"), sig: params.get("sig") }, SECRET, BEFORE)).toBe(true);
  });

  it("refuses an expired signature", () => {
    const query = signMediaPath(KEY, "DISPLAY", EXPIRES, SECRET);
    expect(verifyMediaSignature(KEY, "DISPLAY", query, SECRET, EXPIRES)).toBe(false);
    expect(verifyMediaSignature(KEY, "DISPLAY", query, SECRET, new Date("2031-01-01T00:00:00Z"))).toBe(false);
    // Signed in the past for the past: never valid now.
    expect(verifyMediaSignature(KEY, "DISPLAY", signMediaPath(KEY, "DISPLAY", new Date(Date.now() - 1000), SECRET), SECRET)).toBe(false);
  });

  it("refuses a signature moved to another key, size or expiry, altered, or made with another secret", () => {
    const query = signMediaPath(KEY, "DISPLAY", EXPIRES, SECRET);
    const params = new URLSearchParams(query);
    const sig = params.get("sig")!;
    expect(verifyMediaSignature(KEY.replace("3f2c", "3f2d"), "DISPLAY", query, SECRET, BEFORE)).toBe(false);
    expect(verifyMediaSignature(KEY, "ORIGINAL", query, SECRET, BEFORE)).toBe(false);
    expect(verifyMediaSignature(KEY, "DISPLAY", `?exp=1999999999&sig=${sig}`, SECRET, BEFORE)).toBe(false);
    const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
    expect(verifyMediaSignature(KEY, "DISPLAY", `?exp=1893456600&sig=${flipped}`, SECRET, BEFORE)).toBe(false);
    expect(verifyMediaSignature(KEY, "DISPLAY", query, `${SECRET}-rotated`, BEFORE)).toBe(false);
  });

  it("refuses malformed queries without throwing", () => {
    const sig = new URLSearchParams(signMediaPath(KEY, "DISPLAY", EXPIRES, SECRET)).get("sig")!;
    for (const query of [
      "",
      "?",
      "?exp=1893456600",
      `?sig=${sig}`,
      `?exp=soon&sig=${sig}`,
      `?exp=-1&sig=${sig}`,
      "?exp=1893456600&sig=short",
      `?exp=1893456600&sig=${sig}=`,
      `?exp=1893456600&sig=${sig}AA`,
    ]) {
      expect(verifyMediaSignature(KEY, "DISPLAY", query, SECRET, BEFORE)).toBe(false);
    }
    expect(verifyMediaSignature(KEY, "DISPLAY", { exp: 1893456600, sig }, SECRET, BEFORE)).toBe(false);
  });

  it("refuses to sign with a short secret", () => {
    expect(() => signMediaPath(KEY, "DISPLAY", EXPIRES, "short")).toThrow(/at least 32/);
  });
});
