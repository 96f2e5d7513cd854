// The typed internal clients (lib/clients) against stub subgraphs over real HTTP: what they send, how they page,
// and that a peer that is down or refuses becomes SERVICE_UNAVAILABLE. One rule per test.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GraphQLError } from "graphql";
import { EntriesClient } from "../../lib/clients/entries";
import { VenuesClient } from "../../lib/clients/venues";
import { loadConfig, setConfig } from "../../lib/config";

interface Received {
  query: string;
  variables: Record<string, any>;
  authorization: string | undefined;
}

type Answer = (request: Received) => { status?: number; body: unknown };

describe("internal clients", () => {
  let server: http.Server;
  let answer: Answer;
  const received: Received[] = [];
  let url: string;

  /** Points every subgraph at the stub (or at `entriesUrl` for the entries subgraph). */
  const configure = (entriesUrl = url) =>
    setConfig(loadConfig({ ...process.env, SUBGRAPH_SECRET: "stub-secret-".padEnd(40, "s"), ENTRIES_URL: entriesUrl, VENUES_URL: url }));

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let text = "";
      request.on("data", (chunk) => (text += chunk));
      request.on("end", () => {
        const { query, variables } = JSON.parse(text);
        const entry = { query, variables, authorization: request.headers.authorization };
        received.push(entry);
        const { status = 200, body } = answer(entry);
        response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    configure();
  });
  beforeEach(() => {
    received.length = 0;
    configure();
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const id = (n: number) => `e0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  const fact = (n: number) => ({
    id: id(n),
    status: "SUBMITTED",
    consentToPublication: true,
    venueId: id(0),
    organizationId: id(0),
    theme: "NATURE",
    kind: "SINGLE_PHOTO",
  });

  it("sends the generated operation with a service token naming the caller", async () => {
    answer = () => ({ body: { data: { revokedApiClients: [] } } });
    await new VenuesClient("gateway").revokedApiClients();
    expect(received[0].query).toMatch(/^query RevokedApiClients\b/);
    const payload = JSON.parse(Buffer.from(received[0].authorization!.split(".")[1], "base64url").toString());
    expect(payload.sub).toBe("service:gateway");
  });

  it("pages through every entry fact by keyset until a short page", async () => {
    answer = ({ variables }) => {
      const start = variables.afterId ? Number(variables.afterId.slice(-12)) + 1 : 1;
      const count = start === 1 ? variables.first : 3;
      return { body: { data: { entryFacts: Array.from({ length: count }, (_, index) => fact(start + index)) } } };
    };
    const facts = await new EntriesClient("judging").entryFacts({ status: "SUBMITTED" });
    expect(facts).toHaveLength(5003);
    expect(received.map((request) => request.variables.afterId)).toEqual([null, id(5000)]);
    expect(received[0].variables).toMatchObject({ status: "SUBMITTED", theme: null, first: 5000 });
  });

  it("asks for given ids in chunks of at most 5000, with the filter in each", async () => {
    answer = ({ variables }) => ({ body: { data: { entryFacts: variables.ids.slice(0, 2).map((entryId: string) => ({ ...fact(1), id: entryId })) } } });
    const ids = Array.from({ length: 7001 }, (_, index) => id(index + 1));
    const facts = await new EntriesClient("exhibitions").entryFacts({ ids, theme: null });
    expect(received.map((request) => request.variables.ids.length)).toEqual([5000, 2001]);
    expect(facts.map((found) => found.id)).toEqual([id(1), id(2), id(5001), id(5002)]);
  });

  it("asks for no facts at all when given no ids", async () => {
    answer = () => ({ body: { data: { entryFacts: [] } } });
    expect(await new EntriesClient("exhibitions").entryFacts({ ids: [] })).toEqual([]);
    expect(received).toHaveLength(0);
  });

  it("finds which ids exist through _entities, with one representation per id of the asked type", async () => {
    answer = ({ variables }) => ({
      body: {
        data: { _entities: variables.representations.map((representation: { id: string }, index: number) => (index === 1 ? null : { id: representation.id })) },
      },
    });
    const existing = await new VenuesClient("judging").existing("Organization", [id(1), id(2), id(3)]);
    expect(existing).toEqual(new Set([id(1), id(3)]));
    expect(received[0].query).toContain("... on Organization");
    expect(received[0].variables.representations).toEqual([id(1), id(2), id(3)].map((entityId) => ({ __typename: "Organization", id: entityId })));
  });

  it("turns a refused call into SERVICE_UNAVAILABLE", async () => {
    answer = () => ({ body: { errors: [{ message: "no", extensions: { code: "FORBIDDEN" } }] } });
    const error = await new VenuesClient("judging").createJudgeApiClient(id(1), "Judge").catch((caught) => caught);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("turns an unreachable subgraph into SERVICE_UNAVAILABLE", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    configure(`http://127.0.0.1:${port}/graphql`);
    const error = await new EntriesClient("exhibitions").entryFacts({ ids: [id(1)] }).catch((caught) => caught);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions.code).toBe("SERVICE_UNAVAILABLE");
  });
});
