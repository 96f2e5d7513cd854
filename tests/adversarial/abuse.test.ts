// Abuse at the gateway: operations too deep, too wide, too costly or too big are refused quickly, with a code,
// before any subgraph is asked, and without the gateway's memory growing with what was sent.
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { seedCompetition, seedVenue } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";
import { newRequestId, peakHeapGrowthMb, rawCodes, rawRequest, subgraphRequestsFor } from "./support";

/**
 * Refusals must not wait on anything: generous for a loaded 2-core CI machine (a 750 KB document took 1.52 s to send
 * and refuse there once), far below any subgraph timeout and far below what a quadratic check would take.
 */
const FAST_MS = 5000;

describe("abuse is refused at the gateway", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem();
    await seedCompetition(system.dataSources.entries);
  });
  afterAll(() => system.stop());

  /** Sends an operation and checks it is refused with OPERATION_LIMIT_EXCEEDED for `limit`, fast, at no subgraph's cost. */
  async function expectRefused(query: string, limit: string, options: { variables?: Record<string, unknown>; token?: string } = {}) {
    const requestId = newRequestId();
    const started = Date.now();
    const response = await graphql(system.gatewayUrl, query, { ...options, headers: { "x-request-id": requestId } });
    const ms = Date.now() - started;
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(["OPERATION_LIMIT_EXCEEDED"]);
    expect(response.errors![0].extensions).toMatchObject({ limit });
    expect(response.data).toBeUndefined();
    expect(ms).toBeLessThan(FAST_MS);
    expect(subgraphRequestsFor(requestId)).toBe(0);
    return response;
  }

  it("counts subgraph requests, so the refusals below are shown to cost none", async () => {
    const requestId = newRequestId();
    const response = await graphql(
      system.gatewayUrl,
      `
        {
          competition {
            name
          }
          venues(first: 1) {
            totalCount
          }
        }
      `,
      { headers: { "x-request-id": requestId } },
    );
    expect(response.errors).toBeUndefined();
    expect(subgraphRequestsFor(requestId)).toBe(2);
  });

  it("refuses a deep query (organisation ↔ venue cycle) beyond 12 levels", async () => {
    let selection = "id";
    for (let level = 0; level < 10; level++) selection = level % 2 ? `organization { ${selection} }` : `venues { ${selection} }`;
    const response = await expectRefused(`{ organizations(first: 1) { edges { node { ${selection} } } } }`, "depth");
    expect(response.errors![0].message).toMatch(/nested too deeply: more than 12, at most 12/);
    // The same shape 8 levels deep is an ordinary query.
    const shallow = await graphql(
      system.gatewayUrl,
      `
        {
          organizations(first: 1) {
            edges {
              node {
                venues {
                  organization {
                    venues {
                      id
                    }
                  }
                }
              }
            }
          }
        }
      `,
    );
    expect(shallow.errors).toBeUndefined();
  });

  it("refuses a depth attack hidden in nested fragments, and a very deep one without a stack overflow", async () => {
    const fragments = Array.from(
      { length: 12 },
      (_, index) => `fragment F${index} on Organization { venues { organization { ${index === 11 ? "id" : `...F${index + 1}`} } } }`,
    ).join("\n");
    await expectRefused(`{ organizations(first: 1) { edges { node { ...F0 } } } }\n${fragments}`, "depth");
    const deep = `{ competition ${"{ themes ".repeat(1500)}{ code }${" }".repeat(1500)} }`;
    const response = await graphql(system.gatewayUrl, deep, { token: tokenFor({ role: "ORGANIZER" }) });
    expect(response.status).toBe(400);
    expect(["OPERATION_LIMIT_EXCEEDED", "GRAPHQL_PARSE_FAILED"]).toContain(errorCodes(response)[0]);
  });

  it("refuses alias floods, at the root and inside a field", async () => {
    await expectRefused(`{ ${Array.from({ length: 50 }, (_, index) => `c${index}: competition { name }`).join(" ")} }`, "rootFields");
    await expectRefused(`{ competition { ${Array.from({ length: 500 }, (_, index) => `n${index}: name`).join(" ")} } }`, "aliases");
  });

  it("refuses a huge `first`, literal or in a variable, by its estimated cost", async () => {
    await expectRefused(`{ entries(first: 100000) { edges { node { id title } } } }`, "cost");
    await expectRefused(`query($n: Int) { venues(first: $n) { edges { node { id } } } }`, "cost", { variables: { n: 1_000_000_000 } });
    // Nested pages multiply: 100 venues × 100 entries each.
    await expectRefused(`{ venues(first: 100) { edges { node { entries(first: 100) { edges { node { id } } } } } } }`, "cost");
  });

  it("re-checks a cached document: a larger `first` or a caller with lower limits is still refused", async () => {
    const query = `query Report($n: Int) { venues(first: $n) { edges { node { code entries(first: 60) { totalCount edges { node { id } } } } } } }`;
    const organizer = await graphql(system.gatewayUrl, query, { variables: { n: 100 }, token: tokenFor({ role: "ORGANIZER" }) });
    expect(organizer.errors).toBeUndefined();
    const venue = await seedVenue(system.dataSources.venues);
    const partner = tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] });
    await expectRefused(query, "cost", { variables: { n: 100 }, token: partner });
    const small = await graphql(system.gatewayUrl, query, { variables: { n: 2 }, token: partner });
    expect(small.errors).toBeUndefined();
    await expectRefused(query, "cost", { variables: { n: 90 }, token: partner });
  });

  it("refuses cyclic fragments and exponential fragment fan-out quickly", async () => {
    const requestId = newRequestId();
    const cyclic = await graphql(
      system.gatewayUrl,
      `
        {
          ...A
        }
        fragment A on Query {
          competition {
            name
          }
          ...B
        }
        fragment B on Query {
          ...A
        }
      `,
      {
        headers: { "x-request-id": requestId },
      },
    );
    expect(errorCodes(cyclic)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(subgraphRequestsFor(requestId)).toBe(0);
    // Each fragment spreads the next twice: 2^30 root fields once expanded, a few hundred tokens written.
    const fanOut = Array.from({ length: 30 }, (_, index) => `fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`).join("\n");
    await expectRefused(`{ ...F0 }\n${fanOut}\nfragment F30 on Query { competition { name } }`, "rootFields");
  });

  it("refuses directive floods and over-long documents before parsing them", async () => {
    await expectRefused(`{ competition { name ${"@include(if: true) ".repeat(30)} } }`, "directives");
    const long = `{ competition { ${"name ".repeat(150_000)} } }`;
    await expectRefused(long, "tokens");
  });

  it("refuses 10,000 variables, declared or not", async () => {
    const variables = Object.fromEntries(Array.from({ length: 10_000 }, (_, index) => [`v${index}`, index]));
    await expectRefused(`{ competition { name } }`, "variables", { variables });
    const declared = Array.from({ length: 10_000 }, (_, index) => `$v${index}: Int`).join(", ");
    await expectRefused(`query(${declared}) { competition { name } }`, "variables", { variables });
    await expectRefused(`query(${declared}) { competition { name } }`, "tokens");
  });

  it("lets organisers' admin queries past the partner limits, up to their own", async () => {
    const report = `{ venues(first: 100) { edges { node { code entries(first: 50) { totalCount edges { node { id } } } } } } }`;
    const venue = await seedVenue(system.dataSources.venues);
    await expectRefused(report, "cost", { token: tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] }) });
    const organizer = await graphql(system.gatewayUrl, report, { token: tokenFor({ role: "ORGANIZER" }) });
    expect(organizer.errors).toBeUndefined();
    await expectRefused(`{ venues(first: 100) { edges { node { entries(first: 100) { edges { node { photos { id } } } } } } } }`, "cost", {
      token: tokenFor({ role: "ORGANIZER" }),
    });
  });

  it("refuses a 10 MB JSON body (declared or streamed) and batched requests quickly, with flat memory", async () => {
    const huge = Buffer.from(JSON.stringify({ query: "{ competition { name } }", variables: { blob: "x".repeat(10 * 1024 * 1024) } }));
    const requestId = newRequestId();
    const responses: Awaited<ReturnType<typeof rawRequest>>[] = [];
    const growth = await peakHeapGrowthMb(async () => {
      for (let round = 0; round < 2; round++) {
        responses.push(
          ...(await Promise.all(
            Array.from({ length: 5 }, (_, index) =>
              rawRequest(system.gatewayUrl, huge, { "content-type": "application/json", "x-request-id": requestId }, { chunked: index % 2 === 1 }),
            ),
          )),
        );
      }
    });
    for (const response of responses) {
      // The gateway may answer before it reads the body and close the connection; when it answers, it is coded.
      if (response.status !== 0) {
        expect(response.status).toBe(413);
        expect(rawCodes(response)).toEqual(["PAYLOAD_TOO_LARGE"]);
      }
      expect(response.ms).toBeLessThan(5000);
    }
    expect(responses.some((response) => response.status === 413)).toBe(true);
    // Ten 10 MB bodies went in; buffered and parsed they would take several hundred MB.
    expect(growth).toBeLessThan(80);

    const batched = await rawRequest(system.gatewayUrl, JSON.stringify([{ query: "{ competition { name } }" }, { query: "{ competition { name } }" }]), {
      "content-type": "application/json",
      "x-request-id": requestId,
    });
    expect(batched.status).toBe(400);
    expect(rawCodes(batched)).toEqual(["BAD_REQUEST"]);
    expect(subgraphRequestsFor(requestId)).toBe(0);
  });
});
