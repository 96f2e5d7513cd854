// NODE_ENV=production: no introspection, no "Did you mean", no stack traces, no subgraph names, URLs or bodies,
// and unexpected errors carry only a code and a request id that finds the log line.
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { seedCompetition, seedEntry, seedVenue } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";

/** Words that would tell an attacker how the API is built or where its parts live. */
const LEAKS =
  /127\.0\.0\.1|localhost|http:\/\/|:\d{2,5}\/|serviceName|stacktrace|\bat .*\.(ts|js)|node_modules|SELECT|relation "|\b(venues|entries|judging|exhibitions) (subgraph|service)|Did you mean/i;

describe("production error surface", () => {
  let system: TestSystem;
  const logged: string[] = [];
  const write = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    // Judging is left out: it stands for a subgraph that is down.
    // Tokenless queries here probe error handling: the production default (the public registered-only) is tested in
    // tests/e2e/registered-operations.test.ts and tests/unit/config.test.ts.
    system = await startSystem({
      subgraphs: ["venues", "entries", "exhibitions"],
      env: { NODE_ENV: "production", JWT_SECRET: "production-test-secret-".padEnd(48, "p"), LOG_LEVEL: "warn", REGISTERED_OPERATIONS_ONLY_ROLES: "" },
    });
    await seedCompetition(system.dataSources.entries);
    process.stderr.write = ((chunk: string | Uint8Array, ..._rest: unknown[]) => {
      logged.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
  });
  afterAll(async () => {
    process.stderr.write = write;
    await system.stop();
  });

  const expectNoLeaks = (response: { errors?: unknown }) => expect(JSON.stringify(response.errors ?? [])).not.toMatch(LEAKS);

  it("refuses introspection at the gateway and at the subgraphs", async () => {
    const gateway = await graphql(
      system.gatewayUrl,
      `
        {
          __schema {
            types {
              name
            }
          }
        }
      `,
    );
    expect(errorCodes(gateway)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(gateway.data).toBeUndefined();
    const subgraph = await graphql(
      system.urls.entries,
      `
        {
          __type(name: "Entry") {
            fields {
              name
            }
          }
        }
      `,
    );
    expect(errorCodes(subgraph)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });

  it("gives no suggestions for misspelt fields, arguments or enum values", async () => {
    for (const [query, variables] of [
      [`{ competiton { name } }`, {}],
      [`{ competition { nam } }`, {}],
      [`{ entries(frist: 1) { totalCount } }`, {}],
      [`{ awards(theme: NATUR) { totalCount } }`, {}],
      [`query($t: ThemeCode) { awards(theme: $t) { totalCount } }`, { t: "NATUR" }],
      [`query($f: EntryFilter) { entries(filter: $f) { totalCount } }`, { f: { statuss: "DRAFT" } }],
    ] as const) {
      const response = await graphql(system.gatewayUrl, query, { variables, token: tokenFor({ role: "ORGANIZER" }) });
      expect(response.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(response.errors)).not.toMatch(/Did you mean/);
      expectNoLeaks(response);
    }
  });

  it("answers a query touching a down subgraph with the others' data and a masked SERVICE_UNAVAILABLE", async () => {
    const venue = await seedVenue(system.dataSources.venues);
    const entry = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });
    const response = await graphql(
      system.gatewayUrl,
      `query($id: ID!) { entry(id: $id) { title } round(id: $id) { id } venue(code: "${venue.code}") { code } }`,
      {
        variables: { id: entry.id },
        token: tokenFor({ role: "ORGANIZER" }),
        headers: { "x-request-id": "production-test-0001" },
      },
    );
    expect(response.data?.venue).toEqual({ code: venue.code });
    expect(response.data?.entry).toEqual({ title: entry.title });
    expect(response.data?.round).toBeNull();
    expect(errorCodes(response)).toEqual(["SERVICE_UNAVAILABLE"]);
    for (const error of response.errors!) expect(error.extensions).toEqual({ code: "SERVICE_UNAVAILABLE", requestId: "production-test-0001" });
    expectNoLeaks(response);
    // The log names the subgraph and its URL, for the operator.
    expect(logged.some((line) => line.includes("production-test-0001") && line.includes("judging"))).toBe(true);
  });

  it("masks an unexpected error as a code and a request id that finds the log line", async () => {
    await system.dataSources.entries.query(`ALTER TABLE entries.entry RENAME TO entry_moved_away`);
    try {
      const response = await graphql(
        system.gatewayUrl,
        `
          {
            entries(first: 1) {
              totalCount
            }
          }
        `,
        {
          token: tokenFor({ role: "ORGANIZER" }),
          headers: { "x-request-id": "production-test-0002" },
        },
      );
      expect(errorCodes(response)).toEqual(["INTERNAL_SERVER_ERROR"]);
      expect(response.errors![0].extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", requestId: "production-test-0002" });
      expect(response.errors![0].message).toBe("Internal server error. Quote request id production-test-0002 when reporting it.");
      expectNoLeaks(response);
      const line = logged.find((item) => item.includes("production-test-0002") && item.includes("unexpected error"));
      expect(line).toMatch(/entry_moved_away|relation/);
    } finally {
      await system.dataSources.entries.query(`ALTER TABLE entries.entry_moved_away RENAME TO entry`);
    }
  });

  it("passes coded errors from subgraphs without naming the subgraph", async () => {
    const response = await graphql(
      system.gatewayUrl,
      `
        {
          entry(id: "not-an-id") {
            id
          }
          entries(first: 1000) {
            totalCount
          }
        }
      `,
    );
    expect(errorCodes(response)).toEqual(["BAD_USER_INPUT", "BAD_USER_INPUT"]);
    for (const error of response.errors!) expect(Object.keys(error.extensions!)).not.toContain("serviceName");
    expectNoLeaks(response);
  });

  it("refuses malformed requests with codes and no internals", async () => {
    const broken = await fetch(system.gatewayUrl, { method: "POST", headers: { "content-type": "application/json" }, body: "{ not json" });
    expect(broken.status).toBe(400);
    const body = (await broken.json()) as any;
    expect(body.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(body)).not.toMatch(LEAKS);
  });
});
