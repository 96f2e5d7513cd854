import jwt from "jsonwebtoken";
import { Role, signToken, verifyToken, viewerFromAuthorization } from "../../lib/auth";
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
    const sign = (options: jwt.SignOptions, key = settings.secret) => jwt.sign(claims, key, { subject: "x", ...options });
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
