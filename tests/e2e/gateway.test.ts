import jwt from "jsonwebtoken";
import { config } from "../../lib/config";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { seedCompetition, seedEntry, seedVenue } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";

describe("gateway", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries"] });
    await seedCompetition(system.dataSources.entries);
  });
  afterAll(() => system.stop());

  it("joins venues and entries in one request, with the caller's token forwarded to each subgraph", async () => {
    const venue = await seedVenue(system.dataSources.venues, { country: "PT" });
    const entry = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });
    const query = `query($id: ID!) { venue(id: $id) { code organization { id } entries(first: 5) { totalCount edges { node { id entrant { email } venue { code } } } } } }`;
    const own = await graphql(system.gatewayUrl, query, {
      variables: { id: venue.id },
      token: tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] }),
    });
    expect(own.errors).toBeUndefined();
    expect(own.data!.venue.entries.totalCount).toBe(1);
    expect(own.data!.venue.entries.edges[0].node).toMatchObject({ id: entry.id, venue: { code: venue.code } });
    expect(own.data!.venue.entries.edges[0].node.entrant.email).toMatch(/@example.org$/);
    const anonymous = await graphql(system.gatewayUrl, query, { variables: { id: venue.id } });
    expect(anonymous.data!.venue.entries.totalCount).toBe(0);
  });

  describe("refuses bad tokens with UNAUTHENTICATED before any subgraph is asked", () => {
    const query = `{ entries(first: 1) { totalCount } }`;
    // The configuration is set when the system starts, so read it when each case runs.
    const signed = (options: jwt.SignOptions, secret = config().jwt.secret!) =>
      jwt.sign({ role: "ORGANIZER" }, secret, { subject: "x", issuer: config().jwt.issuer, audience: config().jwt.audience, ...options });
    const cases: [string, () => Record<string, string>][] = [
      ["malformed header", () => ({ authorization: "Token abc" })],
      ["garbage token", () => ({ authorization: "Bearer abc.def.ghi" })],
      ["expired token", () => ({ authorization: `Bearer ${tokenFor({ role: "ORGANIZER", ttlSeconds: -60 })}` })],
      ["wrongly signed token", () => ({ authorization: `Bearer ${signed({ expiresIn: 60 }, "x".repeat(40))}` })],
      ["wrong audience", () => ({ authorization: `Bearer ${signed({ expiresIn: 60, audience: "other" })}` })],
      ["no expiry", () => ({ authorization: `Bearer ${signed({})}` })],
    ];
    it.each(cases)("%s", async (_name, headers) => {
      const response = await graphql(system.gatewayUrl, query, { headers: headers() });
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
      expect(response.data).toBeUndefined();
    });
  });

  it("answers a protected operation without a token with UNAUTHENTICATED", async () => {
    const response = await graphql(
      system.gatewayUrl,
      `
        {
          entryStats(groupBy: THEME) {
            key
            count
          }
        }
      `,
    );
    expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
  });

  it("keeps internal subgraph operations out of the public schema", async () => {
    const response = await graphql(
      system.gatewayUrl,
      `
        {
          entryFacts(first: 1) {
            id
          }
        }
      `,
      {
        token: tokenFor({ role: "ORGANIZER" }),
      },
    );
    expect(errorCodes(response)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    // The subgraphs' event feeds are not routes of the gateway.
    const feed = await fetch(new URL("/internal/events?after=0", system.gatewayUrl), {
      headers: { authorization: `Bearer ${tokenFor({ role: "ORGANIZER" })}` },
    });
    expect(feed.status).toBe(404);
  });

  it("carries the caller's request id through and never leaks stack traces", async () => {
    const response = await graphql(
      system.gatewayUrl,
      `
        {
          entry(id: "nope") {
            id
          }
        }
      `,
      { headers: { "x-request-id": "partner-req-12345678" } },
    );
    expect(response.headers.get("x-request-id")).toBe("partner-req-12345678");
    expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
    expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|at .*\.ts|127\.0\.0\.1/);
  });

  it("serves /health and /ready", async () => {
    const base = new URL(system.gatewayUrl);
    expect((await fetch(new URL("/health", base))).status).toBe(200);
    const ready = await fetch(new URL("/ready", base));
    // Judging and exhibitions are not started in this file, so the gateway is not ready.
    expect(ready.status).toBe(503);
    expect((await fetch(new URL("/ready", system.urls.entries))).status).toBe(200);
  });
});
