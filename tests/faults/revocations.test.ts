// Revocations with every service in its own process (issue #19, class 1): a revoked API client's tokens are refused
// by every process within about a second (the api-client.revoked event, not the poll, which is set to a minute
// here), and while the venues subgraph is unreachable for longer than REVOCATION_MAX_STALE_SECONDS, tokens of API
// clients are refused with a retryable SERVICE_UNAVAILABLE (REVOCATIONS_STALE), other tokens are not, and the
// metrics and the log say the list is stale; once venues is back, the tokens work again.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "../kit/database";
import { errorCodes, graphql, GraphqlResponse, tokenFor } from "../kit/http";
import { seedVenue } from "../kit/factories";
import { subgraphSecretHeaders } from "../../lib/subgraph-secret";
import { ProcessSystem, openSubgraphDatabases, waitFor } from "./support";

const organizer = () => tokenFor({ role: "ORGANIZER" });

/** A system of venues, entries and the gateway, each in its own process. */
async function startRevocationSystem(env: Record<string, string>) {
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-revocation-faults-"));
  const system = await ProcessSystem.create({ databaseUrl: database.url, dataDir, env });
  const { venues } = await openSubgraphDatabases(database.url, ["venues"] as const);
  const venue = await seedVenue(venues);
  await venues.destroy();
  await Promise.all([system.start("venues"), system.start("entries")]);
  await system.start("gateway");
  return {
    system,
    venue,
    stop: async () => {
      await system.stopAll();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a VENUE client through the gateway and exchanges its secret for a token. */
async function clientToken(system: ProcessSystem, venueId: string): Promise<{ id: string; token: string }> {
  const created = await graphql(
    system.url("gateway"),
    `
      mutation ($input: CreateApiClientInput!) {
        createApiClient(input: $input) {
          clientSecret
          client {
            id
            clientId
          }
        }
      }
    `,
    { variables: { input: { name: "Revocation site", role: "VENUE", venueId } }, token: organizer() },
  );
  expect(created.errors).toBeUndefined();
  const { client, clientSecret } = created.data!.createApiClient;
  const issued = await graphql(
    system.url("gateway"),
    `
      mutation ($id: String!, $secret: String!) {
        issueToken(clientId: $id, clientSecret: $secret) {
          accessToken
        }
      }
    `,
    { variables: { id: client.clientId, secret: clientSecret } },
  );
  expect(issued.errors).toBeUndefined();
  return { id: client.id, token: issued.data!.issueToken.accessToken };
}

/** The cheapest request that makes a service verify the token: the gateway at admission, a subgraph in its context. */
const ask = (url: string, token: string): Promise<GraphqlResponse> => graphql(url, "{ __typename }", { token });

describe("a revocation reaches every process within a second", () => {
  let running: Awaited<ReturnType<typeof startRevocationSystem>>;

  beforeAll(async () => {
    running = await startRevocationSystem({ REVOCATION_POLL_SECONDS: "60" });
  }, 180_000);
  afterAll(() => running?.stop(), 60_000);

  it("the gateway and a subgraph refuse the revoked client's token soon after the revoke, long before their next poll", async () => {
    const { system } = running;
    const client = await clientToken(system, running.venue.id);
    expect((await ask(system.url("gateway"), client.token)).errors).toBeUndefined();
    expect((await ask(system.url("entries"), client.token)).errors).toBeUndefined();

    const revoked = await graphql(
      system.url("gateway"),
      `
        mutation ($id: ID!) {
          revokeApiClient(id: $id) {
            revokedAt
          }
        }
      `,
      {
        variables: { id: client.id },
        token: organizer(),
      },
    );
    expect(revoked.errors).toBeUndefined();
    const started = Date.now();
    const refusedBy = async (service: "gateway" | "entries") => {
      const refused = await waitFor(async () => errorCodes(await ask(system.url(service), client.token)).includes("UNAUTHENTICATED"), 10_000);
      return { refused, afterMs: Date.now() - started };
    };
    const [gateway, entries] = await Promise.all([refusedBy("gateway"), refusedBy("entries")]);
    // About a second at most on a quiet machine (the event's long poll answers at commit); 10 s leaves room for a busy
    // one and is still far inside the 60 s poll, so only the event can have carried it.
    expect(gateway.refused).toBe(true);
    expect(entries.refused).toBe(true);
    expect(Math.max(gateway.afterMs, entries.afterMs)).toBeLessThan(10_000);
  });
});

describe("the venues subgraph unreachable for longer than the bound", () => {
  let running: Awaited<ReturnType<typeof startRevocationSystem>>;

  beforeAll(async () => {
    // Polled every 2 s with a bound of 8 s: four refreshes in a row must fail before the list is stale, so a busy machine
    // (a refresh slower than its interval fails) does not make it stale while venues is still up.
    running = await startRevocationSystem({ REVOCATION_POLL_SECONDS: "2", REVOCATION_MAX_STALE_SECONDS: "8", LOG_LEVEL: "error" });
  }, 180_000);
  afterAll(() => running?.stop(), 60_000);

  const staleMetric = async (system: ProcessSystem) => {
    const text = await (await fetch(new URL("/metrics", system.url("gateway")), { headers: subgraphSecretHeaders() })).text();
    return /^image_china_revocation_list_stale (\d)/m.exec(text)?.[1];
  };

  it("refuses API client tokens with a retryable code, keeps other tokens working, says so, and recovers", async () => {
    const { system } = running;
    const client = await clientToken(system, running.venue.id);
    expect((await ask(system.url("gateway"), client.token)).errors).toBeUndefined();
    expect(await staleMetric(system)).toBe("0");

    system.signal("venues", "SIGTERM");
    await system.processes.get("venues")!.exited;
    const stoppedAt = Date.now();

    // Past the bound (8 s, polled every 2 s), both processes refuse the client's token as retryable.
    let answer: GraphqlResponse | undefined;
    expect(
      await waitFor(async () => {
        answer = await ask(system.url("gateway"), client.token);
        return errorCodes(answer).includes("SERVICE_UNAVAILABLE");
      }, 30_000),
    ).toBe(true);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(2000);
    expect(answer!.status).toBe(503);
    // Retry after one poll interval: the next refresh may succeed.
    expect(answer!.headers.get("retry-after")).toBe("2");
    expect(answer!.errors![0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", reason: "REVOCATIONS_STALE", retryAfterSeconds: 2 });
    // Each process counts from its own last refresh, so the subgraph may pass the bound a moment after the gateway.
    let atSubgraph: GraphqlResponse | undefined;
    expect(
      await waitFor(async () => {
        atSubgraph = await ask(system.url("entries"), client.token);
        return errorCodes(atSubgraph).includes("SERVICE_UNAVAILABLE");
      }, 30_000),
    ).toBe(true);
    expect(errorCodes(atSubgraph!)).toEqual(["SERVICE_UNAVAILABLE"]);
    expect(atSubgraph!.errors![0].extensions!.reason).toBe("REVOCATIONS_STALE");

    // Tokens no revocation list covers (organisers', users') go on working.
    expect((await ask(system.url("gateway"), organizer())).errors).toBeUndefined();
    expect((await ask(system.url("entries"), organizer())).errors).toBeUndefined();
    // The metric and the log say why.
    expect(await staleMetric(system)).toBe("1");
    expect(system.processes.get("gateway")!.output()).toContain("the list of revoked API clients is stale");

    // Venues back: the next poll refreshes the list and the token works again.
    await system.start("venues");
    expect(await waitFor(async () => (await ask(system.url("gateway"), client.token)).errors === undefined, 10_000)).toBe(true);
    expect(await waitFor(async () => (await ask(system.url("entries"), client.token)).errors === undefined, 10_000)).toBe(true);
    expect(await staleMetric(system)).toBe("0");
  });
});
