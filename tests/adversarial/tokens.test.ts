// Forged, stale and misdirected tokens: refused with UNAUTHENTICATED by the gateway before any subgraph is asked,
// and by every subgraph on its own when sent there directly (each subgraph verifies again).
import { createHmac, createSign, generateKeyPairSync } from "node:crypto";
import { config, SUBGRAPH_NAMES } from "../../lib/config";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { startSystem, TestSystem } from "../kit/system";
import { newRequestId, subgraphRequestsFor } from "./support";

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A JWT built by hand, so the header and signature can be anything an attacker likes. */
function forge(header: Record<string, unknown>, payload: Record<string, unknown>, sign: (data: string) => string): string {
  const data = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${data}.${sign(data)}`;
}
const hmac = (key: string | Buffer) => (data: string) => createHmac("sha256", key).update(data).digest("base64url");
const rsa = (privateKey: string) => (data: string) => createSign("RSA-SHA256").update(data).sign(privateKey, "base64url");

describe("tokens", () => {
  let system: TestSystem;
  const signing = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const stranger = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const KEY_ID = "adversarial-key-1";
  const HS256_SECRET = "adversarial-hs256-secret-".padEnd(48, "x");

  beforeAll(async () => {
    // Tokens are signed RS256 with a key id; HS256 with the shared secret stays accepted (no key id), as during a migration.
    system = await startSystem({ env: { JWT_PRIVATE_KEY: signing.privateKey, JWT_KEY_ID: KEY_ID, JWT_SECRET: HS256_SECRET } });
  });
  afterAll(() => system.stop());

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    sub: "attacker",
    role: "ORGANIZER",
    iss: config().jwt.issuer,
    aud: config().jwt.audience,
    iat: now(),
    exp: now() + 600,
    ...overrides,
  });

  const cases: [string, () => string][] = [
    ["alg none, no signature", () => forge({ alg: "none", typ: "JWT" }, claims(), () => "")],
    ["alg none with the key id", () => forge({ alg: "none", typ: "JWT", kid: KEY_ID }, claims(), () => "")],
    ["HS256 signed with the public key, naming its key id", () => forge({ alg: "HS256", typ: "JWT", kid: KEY_ID }, claims(), hmac(signing.publicKey))],
    ["HS256 signed with the public key, no key id", () => forge({ alg: "HS256", typ: "JWT" }, claims(), hmac(signing.publicKey))],
    ["RS256 from an unknown key id", () => forge({ alg: "RS256", typ: "JWT", kid: "someone-elses-key" }, claims(), rsa(stranger.privateKey))],
    ["RS256 with our key id but another key", () => forge({ alg: "RS256", typ: "JWT", kid: KEY_ID }, claims(), rsa(stranger.privateKey))],
    ["expired", () => forge({ alg: "RS256", typ: "JWT", kid: KEY_ID }, claims({ iat: now() - 7200, exp: now() - 3600 }), rsa(signing.privateKey))],
    ["not valid yet (nbf in the future)", () => forge({ alg: "RS256", typ: "JWT", kid: KEY_ID }, claims({ nbf: now() + 3600 }), rsa(signing.privateKey))],
    ["no exp", () => forge({ alg: "RS256", typ: "JWT", kid: KEY_ID }, claims({ exp: undefined }), rsa(signing.privateKey))],
    ["wrong audience", () => forge({ alg: "RS256", typ: "JWT", kid: KEY_ID }, claims({ aud: "another-api" }), rsa(signing.privateKey))],
    ["wrong issuer", () => forge({ alg: "RS256", typ: "JWT", kid: KEY_ID }, claims({ iss: "evil-issuer" }), rsa(signing.privateKey))],
    ["HS256 with a wrong secret", () => forge({ alg: "HS256", typ: "JWT" }, claims(), hmac("x".repeat(48)))],
    [
      "tampered payload (a venue token promoted to organiser)",
      () => {
        const [header, , signature] = tokenFor({ role: "VENUE", org: "org-1", venues: ["venue-1"] }).split(".");
        return `${header}.${base64url(JSON.stringify(claims()))}.${signature}`;
      },
    ],
    ["a valid signature over an unknown role", () => forge({ alg: "RS256", typ: "JWT", kid: KEY_ID }, claims({ role: "ROOT" }), rsa(signing.privateKey))],
    ["not a JWT", () => "a.b"],
  ];

  it.each(cases)("%s → UNAUTHENTICATED at the gateway, no subgraph asked", async (_name, token) => {
    const requestId = newRequestId();
    const response = await graphql(
      system.gatewayUrl,
      `
        {
          entries(first: 1) {
            totalCount
          }
        }
      `,
      { token: token(), headers: { "x-request-id": requestId } },
    );
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
    expect(response.data).toBeUndefined();
    expect(subgraphRequestsFor(requestId)).toBe(0);
  });

  it.each(cases)("%s → UNAUTHENTICATED at every subgraph, even with the subgraph secret", async (_name, token) => {
    const forged = token();
    for (const name of SUBGRAPH_NAMES) {
      const response = await graphql(
        system.urls[name],
        `
          {
            __typename
          }
        `,
        { token: forged },
      );
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
    }
  });

  it("accepts the genuine tokens: RS256 with the key id, and HS256 with the secret", async () => {
    const rs256 = tokenFor({ role: "ORGANIZER" });
    expect(JSON.parse(Buffer.from(rs256.split(".")[0], "base64url").toString())).toMatchObject({ alg: "RS256", kid: KEY_ID });
    expect(
      (
        await graphql(
          system.gatewayUrl,
          `
            {
              entries(first: 1) {
                totalCount
              }
            }
          `,
          { token: rs256 },
        )
      ).errors,
    ).toBeUndefined();
    const hs256 = forge({ alg: "HS256", typ: "JWT" }, claims(), hmac(HS256_SECRET));
    expect(
      (
        await graphql(
          system.gatewayUrl,
          `
            {
              entries(first: 1) {
                totalCount
              }
            }
          `,
          { token: hs256 },
        )
      ).errors,
    ).toBeUndefined();
  });

  it("refuses the tokens of a revoked API client, at the gateway and at each subgraph", async () => {
    const organizer = tokenFor({ role: "ORGANIZER" });
    const created = await graphql(
      system.gatewayUrl,
      `
        mutation ($input: CreateApiClientInput!) {
          createApiClient(input: $input) {
            client {
              id
              clientId
            }
            clientSecret
          }
        }
      `,
      { variables: { input: { name: "Soon revoked", role: "ORGANIZER" } }, token: organizer },
    );
    expect(created.errors).toBeUndefined();
    const { client, clientSecret } = created.data!.createApiClient;
    const issued = await graphql(
      system.gatewayUrl,
      `
        mutation ($id: String!, $secret: String!) {
          issueToken(clientId: $id, clientSecret: $secret) {
            accessToken
          }
        }
      `,
      {
        variables: { id: client.clientId, secret: clientSecret },
      },
    );
    const token = issued.data!.issueToken.accessToken as string;
    expect(
      (
        await graphql(
          system.gatewayUrl,
          `
            {
              entries(first: 1) {
                totalCount
              }
            }
          `,
          { token },
        )
      ).errors,
    ).toBeUndefined();

    const revoked = await graphql(
      system.gatewayUrl,
      `
        mutation ($id: ID!) {
          revokeApiClient(id: $id) {
            revokedAt
          }
        }
      `,
      { variables: { id: client.id }, token: organizer },
    );
    expect(revoked.errors).toBeUndefined();
    const refused = await graphql(
      system.gatewayUrl,
      `
        {
          entries(first: 1) {
            totalCount
          }
        }
      `,
      { token },
    );
    expect(refused.status).toBe(401);
    expect(errorCodes(refused)).toEqual(["UNAUTHENTICATED"]);
    for (const name of SUBGRAPH_NAMES)
      expect(
        errorCodes(
          await graphql(
            system.urls[name],
            `
              {
                __typename
              }
            `,
            { token },
          ),
        ),
      ).toEqual(["UNAUTHENTICATED"]);
    // And it cannot get a new one.
    const again = await graphql(
      system.gatewayUrl,
      `
        mutation ($id: String!, $secret: String!) {
          issueToken(clientId: $id, clientSecret: $secret) {
            accessToken
          }
        }
      `,
      {
        variables: { id: client.clientId, secret: clientSecret },
      },
    );
    expect(errorCodes(again)).toEqual(["UNAUTHENTICATED"]);
  });
});
