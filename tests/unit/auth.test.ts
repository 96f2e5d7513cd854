import { generateKeyPairSync, KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { recordRevocations } from "../../lib/revocation";
import { publicJwks, Role, signDocument, signToken, verifyDocument, verifyToken, viewerFromAuthorization } from "../../lib/auth";
import { config, loadConfig, setConfig } from "../../lib/config";

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return "no error";
};

describe("auth", () => {
  beforeAll(() => setConfig(loadConfig({ NODE_ENV: "test" })));

  it("round-trips the claims of a signed token", () => {
    const { token } = signToken({ sub: "client:1", role: Role.VENUE, org: "o1", venues: ["v1"], cid: "demo" });
    expect(verifyToken(token)).toEqual({ subject: "client:1", role: Role.VENUE, organizationId: "o1", venueIds: ["v1"], judgeId: undefined, clientId: "demo" });
  });

  it("treats a missing header as the public and any bad header as UNAUTHENTICATED", () => {
    expect(viewerFromAuthorization(undefined)).toBeUndefined();
    expect(codeOf(() => viewerFromAuthorization("Basic abc"))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => viewerFromAuthorization("Bearer not.a.token"))).toBe("UNAUTHENTICATED");
  });

  it("refuses expired, unsigned, wrongly signed, wrong audience or issuer, and tokens without exp", () => {
    const settings = config().jwt;
    const claims = { role: "ORGANIZER" };
    const sign = (options: jwt.SignOptions, key = settings.secret!) => jwt.sign(claims, key, { subject: "x", ...options });
    const valid = { algorithm: "HS256" as const, issuer: settings.issuer, audience: settings.audience, expiresIn: 60 };
    expect(codeOf(() => verifyToken(sign(valid)))).toBe("no error");
    expect(codeOf(() => verifyToken(sign({ ...valid, expiresIn: -10 })))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => verifyToken(sign(valid, "another-secret-that-is-long-enough-1234567890")))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => verifyToken(sign({ ...valid, audience: "someone-else" })))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => verifyToken(sign({ ...valid, issuer: "someone-else" })))).toBe("UNAUTHENTICATED");
    const { expiresIn: _expiresIn, ...withoutExpiry } = valid;
    expect(codeOf(() => verifyToken(sign(withoutExpiry)))).toBe("UNAUTHENTICATED");
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(
      JSON.stringify({ ...claims, sub: "x", iss: settings.issuer, aud: settings.audience, exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString("base64url")}.`;
    expect(codeOf(() => verifyToken(unsigned))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => verifyToken(sign({ ...valid, algorithm: "HS512" })))).toBe("UNAUTHENTICATED");
  });

  it("requires the scope claims each role depends on", () => {
    expect(codeOf(() => verifyToken(signToken({ sub: "x", role: Role.VENUE, org: "o1" }).token))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => verifyToken(signToken({ sub: "x", role: Role.PARTNER }).token))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => verifyToken(signToken({ sub: "x", role: Role.JUDGE }).token))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => verifyToken(signToken({ sub: "x", role: "ADMIN" as Role }).token))).toBe("UNAUTHENTICATED");
  });
});

describe("auth with key pairs", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const pem = (key: KeyObject, type: "pkcs8" | "spki") => key.export({ format: "pem", type }).toString();
  const env = (extra: Record<string, string>) => setConfig(loadConfig({ NODE_ENV: "test", ...extra }));
  afterAll(() => setConfig(loadConfig({ NODE_ENV: "test" })));

  it("signs with the private key and its key id, and verifies by key id", () => {
    env({ JWT_PRIVATE_KEY: pem(rsa.privateKey, "pkcs8"), JWT_KEY_ID: "2026-11" });
    const { token } = signToken({ sub: "x", role: Role.ORGANIZER });
    const header = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString());
    expect(header).toMatchObject({ alg: "RS256", kid: "2026-11" });
    expect(verifyToken(token).role).toBe(Role.ORGANIZER);
  });

  it("accepts tokens of a rotated-out key while it is still listed, and refuses unknown key ids", () => {
    env({ JWT_PRIVATE_KEY: pem(ec.privateKey, "pkcs8"), JWT_KEY_ID: "old" });
    const oldToken = signToken({ sub: "x", role: Role.ORGANIZER }).token;
    // Rotation: a new signing key; the old public key stays listed until old tokens have expired.
    env({ JWT_PRIVATE_KEY: pem(rsa.privateKey, "pkcs8"), JWT_KEY_ID: "new", JWT_PUBLIC_KEYS: JSON.stringify({ old: pem(ec.publicKey, "spki") }) });
    expect(verifyToken(oldToken).subject).toBe("x");
    expect(codeOf(() => verifyToken(signToken({ sub: "y", role: Role.ORGANIZER }).token))).toBe("no error");
    env({ JWT_PRIVATE_KEY: pem(rsa.privateKey, "pkcs8"), JWT_KEY_ID: "new" });
    expect(codeOf(() => verifyToken(oldToken))).toBe("UNAUTHENTICATED");
  });

  it("refuses an HS256 token made with the public key as secret, and HS256 tokens when no secret is configured", () => {
    env({ JWT_PRIVATE_KEY: pem(rsa.privateKey, "pkcs8"), JWT_KEY_ID: "k1" });
    const settings = config().jwt;
    const forged = jwt.sign({ role: "ORGANIZER" }, pem(rsa.publicKey, "spki"), {
      algorithm: "HS256",
      keyid: "k1",
      subject: "x",
      issuer: settings.issuer,
      audience: settings.audience,
      expiresIn: 60,
    });
    expect(codeOf(() => verifyToken(forged))).toBe("UNAUTHENTICATED");
    const noKid = jwt.sign({ role: "ORGANIZER" }, "x".repeat(40), {
      algorithm: "HS256",
      subject: "x",
      issuer: settings.issuer,
      audience: settings.audience,
      expiresIn: 60,
    });
    expect(codeOf(() => verifyToken(noKid))).toBe("UNAUTHENTICATED");
  });

  it("refuses tokens of a revoked client issued before the revocation", () => {
    env({});
    const { token } = signToken({ sub: "client:1", role: Role.ORGANIZER, cid: "revoked-client-1" });
    expect(codeOf(() => verifyToken(token))).toBe("no error");
    recordRevocations([{ clientId: "revoked-client-1", revokedAt: new Date(Date.now() + 1000) }]);
    expect(codeOf(() => verifyToken(token))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => verifyToken(signToken({ sub: "client:2", role: Role.ORGANIZER, cid: "another-client" }).token))).toBe("no error");
  });
});

describe("signed documents (published score-log heads)", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  afterAll(() => setConfig(loadConfig({ NODE_ENV: "test" })));

  it("signs a document with the key pair, publishes its public key, and never lets it pass as a token", () => {
    setConfig(loadConfig({ NODE_ENV: "test", JWT_PRIVATE_KEY: rsa.privateKey.export({ format: "pem", type: "pkcs8" }).toString(), JWT_KEY_ID: "docs-1" }));
    const jws = signDocument({ typ: "score-log-head/v1", hash: "ab".repeat(32), recordCount: 3 });
    expect(verifyDocument(jws)).toMatchObject({ hash: "ab".repeat(32), recordCount: 3 });
    expect(verifyDocument(`${jws.slice(0, -2)}xx`)).toBeUndefined();
    expect(codeOf(() => verifyToken(jws))).toBe("UNAUTHENTICATED");
    expect(publicJwks().keys).toEqual([expect.objectContaining({ kid: "docs-1", alg: "RS256", kty: "RSA", use: "sig" })]);
    expect(JSON.stringify(publicJwks())).not.toMatch(/"d":/); // no private part
  });

  it("publishes no key when only the HS256 secret signs (no third-party proof)", () => {
    setConfig(loadConfig({ NODE_ENV: "test" }));
    expect(verifyDocument(signDocument({ hash: "x" }))).toMatchObject({ hash: "x" });
    expect(publicJwks()).toEqual({ keys: [] });
  });
});
