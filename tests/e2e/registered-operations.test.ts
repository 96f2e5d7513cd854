// Registered operations (trusted documents) through the gateway, as partners, venues and the public send them.
import fs from "node:fs";
import { documentHash } from "../../lib/document-hash";
import { SUPERGRAPH_PATH } from "../../lib/paths";
import { subgraphSecretHeaders } from "../../lib/subgraph-secret";
import { seedVenue } from "../kit/factories";
import { errorCodes, graphql, GraphqlResponse, tokenFor } from "../kit/http";
import { startSystem, TestSystem } from "../kit/system";
import { startGateway } from "../../gateway";

const organizer = () => tokenFor({ role: "ORGANIZER" });

async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A POST with any body fields (documentId, extensions), as persisted-document clients send it. */
async function post(url: string, body: Record<string, unknown>, token?: string): Promise<GraphqlResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as { data?: Record<string, any>; errors?: GraphqlResponse["errors"] };
  return { status: response.status, data: parsed.data, errors: parsed.errors, headers: response.headers };
}

/** A GET with the parameters in the query string, as a CDN would cache it. */
async function get(url: string, parameters: Record<string, unknown>, token?: string): Promise<GraphqlResponse> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(parameters)) target.searchParams.set(name, typeof value === "string" ? value : JSON.stringify(value));
  const response = await fetch(target, {
    headers: { "apollo-require-preflight": "true", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const parsed = (await response.json()) as { data?: Record<string, any>; errors?: GraphqlResponse["errors"] };
  return { status: response.status, data: parsed.data, errors: parsed.errors, headers: response.headers };
}

const VENUE_BY_CODE = `query VenueByCode($code: String!) { venue(code: $code) { code name } }`;
const VENUE_CITY = `query VenueCity($code: String!) { venue(code: $code) { code city } }`;
const VENUE_COUNT = `query VenueCount { venues(first: 1) { totalCount } }`;

describe("registered operations through the gateway", () => {
  let system: TestSystem;
  let venueCode: string;
  let organizationId: string;
  let venueId: string;

  beforeAll(async () => {
    system = await startSystem({
      subgraphs: ["venues"],
      // Venues and the public are registered-only, as in production; partners are not unless an organiser says so.
      env: { REGISTERED_OPERATIONS_ONLY_ROLES: "VENUE,PUBLIC", REGISTERED_OPERATIONS_POLL_SECONDS: "1", OPERATION_LIMITS: "depth=6" },
    });
    const venue = await seedVenue(system.dataSources.venues);
    venueCode = venue.code;
    venueId = venue.id;
    organizationId = venue.organizationId;
  });
  afterAll(() => system.stop());

  async function client(role: "VENUE" | "PARTNER" | "JUDGE"): Promise<{ id: string; token: string }> {
    const input =
      role === "VENUE"
        ? { name: "site", role, venueId }
        : role === "PARTNER"
          ? { name: "site", role, organizationId }
          : { name: "judge", role, judgeId: "00000000-0000-4000-8000-000000000001" };
    const created = await graphql(
      system.gatewayUrl,
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
      {
        variables: { input },
        token: organizer(),
      },
    );
    expect(created.errors).toBeUndefined();
    const { client: made, clientSecret } = created.data!.createApiClient;
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
        variables: { id: made.clientId, secret: clientSecret },
      },
    );
    return { id: made.id, token: issued.data!.issueToken.accessToken };
  }

  const register = (token: string, documents: string[], variables: Record<string, unknown> = {}) =>
    graphql(
      system.gatewayUrl,
      `
        mutation ($clientId: ID, $manifest: JSON!, $publicSafelist: Boolean) {
          registerOperations(clientId: $clientId, manifest: $manifest, publicSafelist: $publicSafelist) {
            added
            publicSafelist
            registeredOperationsOnly
            operations {
              totalCount
              edges {
                node {
                  hash
                  operationNames
                }
              }
            }
          }
        }
      `,
      {
        token,
        variables: { manifest: Object.fromEntries(documents.map((document) => [documentHash(document), document])), ...variables },
      },
    );

  it("refuses a registered-only client's unregistered operation, and serves it by id (POST and GET) once registered", async () => {
    const venue = await client("VENUE");
    const variables = { code: venueCode };

    const asText = await graphql(system.gatewayUrl, VENUE_BY_CODE, { token: venue.token, variables });
    expect(asText.status).toBe(400);
    expect(errorCodes(asText)).toEqual(["OPERATION_NOT_REGISTERED"]);
    const unknownId = await post(system.gatewayUrl, { documentId: `sha256:${documentHash(VENUE_BY_CODE)}`, variables }, venue.token);
    expect(errorCodes(unknownId)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);

    const registered = await register(venue.token, [VENUE_BY_CODE]);
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.registerOperations).toMatchObject({
      added: 1,
      publicSafelist: false,
      registeredOperationsOnly: true,
      operations: { totalCount: 1 },
    });
    expect(registered.data!.registerOperations.operations.edges[0].node).toEqual({ hash: documentHash(VENUE_BY_CODE), operationNames: ["VenueByCode"] });

    const expected = { venue: { code: venueCode, name: expect.any(String) } };
    // The gateway learns of it at its next revision check (early on a miss, at most four a second).
    const byDocumentId = await waitFor(async () => {
      const response = await post(system.gatewayUrl, { documentId: `sha256:${documentHash(VENUE_BY_CODE)}`, variables }, venue.token);
      return errorCodes(response)[0] === "PERSISTED_QUERY_NOT_FOUND" ? undefined : response;
    });
    expect(byDocumentId.errors).toBeUndefined();
    expect(byDocumentId.data).toEqual(expected);
    const byApolloExtension = await post(
      system.gatewayUrl,
      { extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(VENUE_BY_CODE) } }, variables },
      venue.token,
    );
    expect(byApolloExtension.data).toEqual(expected);
    const byGet = await get(system.gatewayUrl, { documentId: documentHash(VENUE_BY_CODE), variables }, venue.token);
    expect(byGet.status).toBe(200);
    expect(byGet.data).toEqual(expected);
    const byGetExtension = await get(
      system.gatewayUrl,
      { extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(VENUE_BY_CODE) } }, variables },
      venue.token,
    );
    expect(byGetExtension.data).toEqual(expected);
    // The exact registered text is accepted too; any other text is not.
    expect((await graphql(system.gatewayUrl, VENUE_BY_CODE, { token: venue.token, variables })).data).toEqual(expected);
    expect(errorCodes(await graphql(system.gatewayUrl, VENUE_COUNT, { token: venue.token }))).toEqual(["OPERATION_NOT_REGISTERED"]);

    // Unregistered again (a site version that is gone): refused again once the gateway learns it.
    const removed = await graphql(
      system.gatewayUrl,
      `
        mutation ($hashes: [String!]!) {
          unregisterOperations(hashes: $hashes) {
            removed
            operations {
              totalCount
            }
          }
        }
      `,
      {
        token: venue.token,
        variables: { hashes: [documentHash(VENUE_BY_CODE)] },
      },
    );
    expect(removed.data!.unregisterOperations).toEqual({ removed: 1, operations: { totalCount: 0 } });
    await waitFor(
      async () =>
        errorCodes(await post(system.gatewayUrl, { documentId: documentHash(VENUE_BY_CODE), variables }, venue.token))[0] === "PERSISTED_QUERY_NOT_FOUND",
    );
  });

  it("reaches every gateway replica, and serves mutations by id over POST only", async () => {
    const venue = await client("VENUE");
    const ping = `mutation Ping { __typename }`;
    // A second gateway, as another replica behind the load balancer would run.
    const replica = await startGateway({ port: 0, subgraphUrls: system.urls });
    try {
      expect((await register(venue.token, [ping, VENUE_COUNT])).data!.registerOperations.added).toBe(2);
      const byPost = await waitFor(async () => (await post(replica.url, { documentId: documentHash(ping) }, venue.token)).data);
      expect(byPost).toEqual({ __typename: "Mutation" });
      expect((await get(replica.url, { documentId: documentHash(VENUE_COUNT) }, venue.token)).data!.venues.totalCount).toBeGreaterThan(0);
      const byGet = await get(replica.url, { documentId: documentHash(ping) }, venue.token);
      expect(byGet.status).toBe(405);
      expect(byGet.data).toBeUndefined();
    } finally {
      await replica.stop();
    }
  });

  it("applies the operation limits to documents sent by id", async () => {
    const venue = await client("VENUE");
    const deep = `query Deep($code: String!) { venue(code: $code) { organization { venues { organization { venues { organization { name } } } } } } }`;
    expect((await register(venue.token, [deep])).errors).toBeUndefined();
    const response = await waitFor(async () => {
      const sent = await post(system.gatewayUrl, { documentId: documentHash(deep), variables: { code: venueCode } }, venue.token);
      return errorCodes(sent)[0] === "PERSISTED_QUERY_NOT_FOUND" ? undefined : sent;
    });
    expect(errorCodes(response)).toEqual(["OPERATION_LIMIT_EXCEEDED"]);
  });

  it("keeps each client's set its own, and lets organisers switch a client to registered-only", async () => {
    const [first, second] = [await client("PARTNER"), await client("PARTNER")];
    expect((await register(first.token, [VENUE_COUNT])).errors).toBeUndefined();
    // Not registered-only: any operation within the limits, and automatic persisted queries as before.
    expect((await graphql(system.gatewayUrl, VENUE_BY_CODE, { token: second.token, variables: { code: venueCode } })).data?.venue.code).toBe(venueCode);
    const apq = { extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(VENUE_CITY) } }, variables: { code: venueCode } };
    expect(errorCodes(await post(system.gatewayUrl, apq, second.token))).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    expect((await post(system.gatewayUrl, { ...apq, query: VENUE_CITY }, second.token)).data?.venue.code).toBe(venueCode);
    expect((await post(system.gatewayUrl, apq, second.token)).data?.venue.code).toBe(venueCode);

    const switched = await graphql(
      system.gatewayUrl,
      `
        mutation ($id: ID!) {
          setApiClientRegisteredOperationsOnly(id: $id, registeredOperationsOnly: true) {
            registeredOperationsOnly
          }
        }
      `,
      {
        token: organizer(),
        variables: { id: second.id },
      },
    );
    expect(switched.data!.setApiClientRegisteredOperationsOnly.registeredOperationsOnly).toBe(true);
    // Every gateway learns it within a poll.
    await waitFor(
      async () =>
        errorCodes(await graphql(system.gatewayUrl, VENUE_BY_CODE, { token: second.token, variables: { code: venueCode } }))[0] === "OPERATION_NOT_REGISTERED",
    );
    // Another client's registered operation (and one only in Apollo's APQ cache) is not this client's.
    expect(errorCodes(await post(system.gatewayUrl, { documentId: documentHash(VENUE_COUNT) }, second.token))).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    expect(errorCodes(await post(system.gatewayUrl, apq, second.token))).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    const own = await waitFor(async () => (await post(system.gatewayUrl, { documentId: documentHash(VENUE_COUNT) }, first.token)).data);
    expect(own!.venues.totalCount).toBeGreaterThan(0);
  });

  it("serves the public only the organisers' safelist, by id over GET", async () => {
    expect(errorCodes(await graphql(system.gatewayUrl, VENUE_COUNT))).toEqual(["OPERATION_NOT_REGISTERED"]);
    const partner = await client("PARTNER");
    expect(errorCodes(await register(partner.token, [VENUE_COUNT], { publicSafelist: true }))).toEqual(["FORBIDDEN"]);
    const registered = await register(organizer(), [VENUE_COUNT], { publicSafelist: true });
    expect(registered.data!.registerOperations).toMatchObject({ publicSafelist: true, registeredOperationsOnly: true });
    const response = await waitFor(async () => {
      const sent = await get(system.gatewayUrl, { documentId: documentHash(VENUE_COUNT) });
      return errorCodes(sent)[0] === "PERSISTED_QUERY_NOT_FOUND" ? undefined : sent;
    });
    expect(response.status).toBe(200);
    expect(response.data!.venues.totalCount).toBeGreaterThan(0);
  });

  it("lets partners and venues register only for their own client, organisers for any, and checks every document", async () => {
    const [partner, other, judge] = [await client("PARTNER"), await client("PARTNER"), await client("JUDGE")];
    expect(errorCodes(await register(partner.token, [VENUE_BY_CODE], { clientId: other.id }))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await register(judge.token, [VENUE_BY_CODE]))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await register(tokenFor({ role: "PARTNER", org: organizationId }), [VENUE_BY_CODE]))).toEqual(["FORBIDDEN"]);
    expect((await register(organizer(), [VENUE_BY_CODE], { clientId: other.id })).data!.registerOperations.added).toBe(1);

    const wrongHash = await graphql(
      system.gatewayUrl,
      `
        mutation ($manifest: JSON!) {
          registerOperations(manifest: $manifest) {
            added
          }
        }
      `,
      {
        token: partner.token,
        variables: { manifest: { [documentHash(VENUE_COUNT)]: VENUE_BY_CODE, [documentHash("{ nope }")]: "{ nope }" } },
      },
    );
    expect(errorCodes(wrongHash)).toEqual(["BAD_USER_INPUT"]);
    expect(wrongHash.errors![0].extensions!.problems.map((problem: { problem: string }) => problem.problem)).toEqual(["HASH_MISMATCH", "VALIDATION_FAILED"]);

    const view = await graphql(
      system.gatewayUrl,
      `
        {
          registeredOperationSets {
            publicSafelist
            client {
              id
            }
            operations {
              totalCount
            }
          }
        }
      `,
      { token: organizer() },
    );
    expect(view.data!.registeredOperationSets).toContainEqual({ publicSafelist: false, client: { id: other.id }, operations: { totalCount: 1 } });
    expect(
      errorCodes(
        await graphql(
          system.gatewayUrl,
          `
            {
              registeredOperationSets {
                publicSafelist
              }
            }
          `,
          { token: partner.token },
        ),
      ),
    ).toEqual(["FORBIDDEN"]);
    const own = await graphql(
      system.gatewayUrl,
      `
        {
          registeredOperationSet {
            client {
              id
            }
            operations {
              totalCount
            }
          }
        }
      `,
      { token: other.token },
    );
    expect(own.data!.registeredOperationSet).toEqual({ client: { id: other.id }, operations: { totalCount: 1 } });
  });

  it("keeps the gateways' snapshot internal", async () => {
    const response = await graphql(
      system.gatewayUrl,
      `
        {
          registeredOperationsSnapshot {
            revision
          }
        }
      `,
      { token: organizer() },
    );
    expect(errorCodes(response)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    // Straight at the subgraph (as the gateways call it) it answers organisers only.
    const direct = await graphql(
      system.urls.venues,
      `
        {
          registeredOperationsSnapshot {
            revision
          }
        }
      `,
      { token: tokenFor({ role: "PARTNER", org: organizationId }), headers: subgraphSecretHeaders() },
    );
    expect(errorCodes(direct)).toEqual(["FORBIDDEN"]);
  });
});

describe("deprecated-field usage", () => {
  let system: TestSystem;
  let venueCode: string;

  beforeAll(async () => {
    // The checked-in schema deprecates nothing yet: serve one where Venue.city is deprecated, as a future release would.
    const supergraph = fs.readFileSync(SUPERGRAPH_PATH, "utf8");
    const deprecatedCity = supergraph.replace(/(type Venue\b[\s\S]*?\n\s*city: String)/, '$1 @deprecated(reason: "Use address. Removal after 2027-06-01.")');
    expect(deprecatedCity).not.toBe(supergraph);
    system = await startSystem({ subgraphs: ["venues"], supergraphSdl: deprecatedCity });
    venueCode = (await seedVenue(system.dataSources.venues)).code;
  });
  afterAll(() => system.stop());

  it("counts, per client, the deprecated fields its operations used, for organisers to read", async () => {
    const [first, second] = [tokenFor({ role: "ORGANIZER", sub: "client:first" }), tokenFor({ role: "ORGANIZER", sub: "client:second" })];
    for (let i = 0; i < 3; i += 1) {
      expect((await graphql(system.gatewayUrl, VENUE_CITY, { token: first, variables: { code: venueCode } })).errors).toBeUndefined();
    }
    await graphql(system.gatewayUrl, VENUE_BY_CODE, { token: second, variables: { code: venueCode } });
    await graphql(system.gatewayUrl, VENUE_CITY, { variables: { code: venueCode } });
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const uses = await waitFor(async () => {
      const response = await graphql(
        system.gatewayUrl,
        `
          query ($from: DateTime!, $to: DateTime!) {
            deprecatedFieldUsage(from: $from, to: $to) {
              clientId
              coordinate
              requests
              lastSeenAt
            }
          }
        `,
        {
          token: organizer(),
          variables: { from, to },
        },
      );
      const rows = response.data?.deprecatedFieldUsage as { clientId: string; coordinate: string; requests: number }[] | undefined;
      return rows && rows.some((row) => row.clientId === "client:first" && row.requests === 3) && rows.some((row) => row.clientId === "anonymous")
        ? rows
        : undefined;
    });
    expect(uses.map(({ clientId, coordinate, requests }) => ({ clientId, coordinate, requests })).sort((a, b) => a.clientId.localeCompare(b.clientId))).toEqual(
      [
        { clientId: "anonymous", coordinate: "Venue.city", requests: 1 },
        { clientId: "client:first", coordinate: "Venue.city", requests: 3 },
      ],
    );
    expect(
      errorCodes(
        await graphql(
          system.gatewayUrl,
          `
            query ($from: DateTime!, $to: DateTime!) {
              deprecatedFieldUsage(from: $from, to: $to) {
                clientId
              }
            }
          `,
          { token: tokenFor({ role: "PARTNER", org: "00000000-0000-4000-8000-000000000001" }), variables: { from, to } },
        ),
      ),
    ).toEqual(["FORBIDDEN"]);
  });
});
