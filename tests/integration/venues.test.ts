import { startSystem, TestSystem } from "../kit/system";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { seedDivision, seedOrganization, seedVenue } from "../kit/factories";

describe("venues subgraph", () => {
  let system: TestSystem;
  let url: string;
  const organizer = () => tokenFor({ role: "ORGANIZER" });

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues"], gateway: false });
    url = system.urls.venues;
  });
  afterAll(() => system.stop());

  it("lists venues with a filter and cursor pagination", async () => {
    const organization = await seedOrganization(system.dataSources.venues);
    const codes = ["PG-A1", "PG-A2", "PG-A3"];
    for (const code of codes) await seedVenue(system.dataSources.venues, { code, organizationId: organization.id, country: "PT" });
    const query = `query($after: String, $org: ID) { venues(first: 2, after: $after, filter: { organizationId: $org }) {
      totalCount edges { cursor node { code region country organization { id name } } } pageInfo { hasNextPage endCursor } } }`;
    const first = await graphql(url, query, { variables: { org: organization.id } });
    expect(first.errors).toBeUndefined();
    expect(first.data!.venues.totalCount).toBe(3);
    expect(first.data!.venues.edges.map((edge: any) => edge.node.code)).toEqual(["PG-A1", "PG-A2"]);
    expect(first.data!.venues.edges[0].node).toMatchObject({ region: "OVERSEAS", organization: { id: organization.id } });
    expect(first.data!.venues.pageInfo.hasNextPage).toBe(true);
    const second = await graphql(url, query, { variables: { org: organization.id, after: first.data!.venues.pageInfo.endCursor } });
    expect(second.data!.venues.edges.map((edge: any) => edge.node.code)).toEqual(["PG-A3"]);
    expect(second.data!.venues.pageInfo.hasNextPage).toBe(false);
  });

  it("finds a venue by code and refuses bad arguments with BAD_USER_INPUT", async () => {
    const venue = await seedVenue(system.dataSources.venues, { code: "PT-LIS-TEST" });
    const byCode = await graphql(
      url,
      `
        {
          venue(code: "pt-lis-test") {
            id
            code
          }
        }
      `,
    );
    expect(byCode.data!.venue).toEqual({ id: venue.id, code: "PT-LIS-TEST" });
    expect(
      errorCodes(
        await graphql(
          url,
          `
            {
              venue(id: "not-a-uuid") {
                id
              }
            }
          `,
        ),
      ),
    ).toEqual(["BAD_USER_INPUT"]);
    expect(
      errorCodes(
        await graphql(
          url,
          `
            {
              venues(first: 1000) {
                totalCount
              }
            }
          `,
        ),
      ),
    ).toEqual(["BAD_USER_INPUT"]);
    expect(
      errorCodes(
        await graphql(
          url,
          `
            {
              venues(after: "garbage") {
                totalCount
              }
            }
          `,
        ),
      ),
    ).toEqual(["BAD_USER_INPUT"]);
  });

  it("lets only organisers create venues, with coded errors for bad input and duplicates", async () => {
    const organization = await seedOrganization(system.dataSources.venues);
    const division = await seedDivision(system.dataSources.venues, { code: unique4("PT"), country: "PT" });
    const mutation = `mutation($input: CreateVenueInput!) { createVenue(input: $input) { code region division { id } organization { id } } }`;
    const input = { code: "PT-OPO-NEW", name: "Porto", kind: "BRANCH_VENUE", country: "pt", organizationId: organization.id, divisionId: division.id };
    expect(errorCodes(await graphql(url, mutation, { variables: { input } }))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await graphql(url, mutation, { variables: { input }, token: tokenFor({ role: "PARTNER", org: organization.id, venues: [] }) }))).toEqual([
      "FORBIDDEN",
    ]);
    const created = await graphql(url, mutation, { variables: { input }, token: organizer() });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createVenue).toEqual({ code: "PT-OPO-NEW", region: "OVERSEAS", division: { id: division.id }, organization: { id: organization.id } });
    expect(errorCodes(await graphql(url, mutation, { variables: { input }, token: organizer() }))).toEqual(["CONFLICT"]);
    expect(errorCodes(await graphql(url, mutation, { variables: { input: { ...input, code: "PT-X", country: "XX" } }, token: organizer() }))).toEqual([
      "BAD_USER_INPUT",
    ]);
  });

  it("issues tokens for API clients, shows the secret once and stops issuing after revocation", async () => {
    const venue = await seedVenue(system.dataSources.venues);
    const created = await graphql(
      url,
      `
        mutation ($input: CreateApiClientInput!) {
          createApiClient(input: $input) {
            clientSecret
            client {
              id
              clientId
              role
              venueId
              organizationId
            }
          }
        }
      `,
      { variables: { input: { name: "Venue site", role: "VENUE", venueId: venue.id } }, token: organizer() },
    );
    expect(created.errors).toBeUndefined();
    const { clientSecret, client } = created.data!.createApiClient;
    expect(client).toMatchObject({ role: "VENUE", venueId: venue.id, organizationId: venue.organizationId });
    const stored = await system.dataSources.venues.query(`SELECT secret_hash FROM venues.api_client WHERE id = $1`, [client.id]);
    expect(stored[0].secret_hash).toMatch(/^scrypt\$/);
    expect(stored[0].secret_hash).not.toContain(clientSecret);

    const issue = `mutation($id: String!, $secret: String!) { issueToken(clientId: $id, clientSecret: $secret) { accessToken role expiresAt } }`;
    const token = await graphql(url, issue, { variables: { id: client.clientId, secret: clientSecret } });
    expect(token.data!.issueToken.role).toBe("VENUE");
    const claims = JSON.parse(Buffer.from(token.data!.issueToken.accessToken.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ role: "VENUE", org: venue.organizationId, venues: [venue.id], iss: "image-china", aud: "image-china-partner-api" });

    expect(errorCodes(await graphql(url, issue, { variables: { id: client.clientId, secret: "wrong" } }))).toEqual(["UNAUTHENTICATED"]);
    await graphql(
      url,
      `
        mutation ($id: ID!) {
          revokeApiClient(id: $id) {
            revokedAt
          }
        }
      `,
      { variables: { id: client.id }, token: organizer() },
    );
    expect(errorCodes(await graphql(url, issue, { variables: { id: client.clientId, secret: clientSecret } }))).toEqual(["UNAUTHENTICATED"]);
  });
});

function unique4(prefix: string) {
  return `${prefix}${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
}
