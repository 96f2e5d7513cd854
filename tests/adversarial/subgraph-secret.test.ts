// Subgraphs answer only whoever holds SUBGRAPH_SECRET (the gateway, and subgraphs calling each other):
// _service, _entities, internal operations and media are closed to anyone who merely reaches the port.
import { serviceToken } from "../../lib/auth";
import { SUBGRAPH_NAMES } from "../../lib/config";
import { SUBGRAPH_SECRET_HEADER } from "../../lib/subgraph-secret";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { seedEntry, seedVenue } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";

describe("subgraphs only through the gateway", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system.stop());

  const probes: [string, string, Record<string, unknown>][] = [
    ["_service", `{ _service { sdl } }`, {}],
    ["_entities", `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, { r: [{ __typename: "Venue", id: "x" }] }],
    ["a public query", `{ __typename }`, {}],
  ];

  it.each(probes)("refuses %s without the secret or with a wrong one, on every subgraph", async (_name, query, variables) => {
    for (const name of SUBGRAPH_NAMES) {
      for (const headers of [{}, { [SUBGRAPH_SECRET_HEADER]: "wrong-secret" }, { [SUBGRAPH_SECRET_HEADER]: "" }] as Record<string, string>[]) {
        const response = await graphql(system.urls[name], query, { variables, headers, withoutSubgraphSecret: true, token: tokenFor({ role: "ORGANIZER" }) });
        expect(response.status).toBe(403);
        expect(errorCodes(response)).toEqual(["FORBIDDEN"]);
        expect(response.data).toBeUndefined();
      }
    }
  });

  it("refuses the internal operations and the media route without the secret", async () => {
    const grants = await graphql(
      system.urls.entries,
      `
        {
          entryFacts(first: 1) {
            id
          }
        }
      `,
      {
        token: tokenFor({ role: "ORGANIZER" }),
        withoutSubgraphSecret: true,
      },
    );
    expect(grants.status).toBe(403);
    // The event feed too, even with a service token: only callers holding the secret reach it.
    const feed = await fetch(new URL("/internal/events?after=0", system.urls.entries), { headers: { authorization: `Bearer ${serviceToken("judging")}` } });
    expect(feed.status).toBe(403);
    const media = await fetch(new URL("/media/photos/anything.jpg", system.urls.entries));
    expect(media.status).toBe(403);
  });

  it("keeps /health and /ready open for load balancers", async () => {
    for (const name of SUBGRAPH_NAMES) {
      expect((await fetch(new URL("/health", system.urls[name]))).status).toBe(200);
      expect((await fetch(new URL("/ready", system.urls[name]))).status).toBe(200);
    }
  });

  it("lets the gateway through, across subgraphs and for entity joins", async () => {
    const venue = await seedVenue(system.dataSources.venues);
    await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });
    const response = await graphql(
      system.gatewayUrl,
      `
        query ($id: ID!) {
          venue(id: $id) {
            code
            entries(first: 5) {
              totalCount
              edges {
                node {
                  venue {
                    code
                  }
                  awards {
                    id
                  }
                }
              }
            }
          }
        }
      `,
      {
        variables: { id: venue.id },
        token: tokenFor({ role: "ORGANIZER" }),
      },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.venue.entries.totalCount).toBe(1);
    expect((await fetch(new URL("/ready", system.gatewayUrl))).status).toBe(200);
  });
});
