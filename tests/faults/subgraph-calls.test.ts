// How the gateway calls a subgraph, against stub servers: connections are kept alive, every call has a deadline,
// and failures reach the client as coded errors without the subgraph's URL or response body.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GraphQLDataSourceRequestKind } from "@apollo/gateway/dist/datasources/types";
import { GraphQLError } from "graphql";
import { loadConfig, setConfig } from "../../lib/config";
import { SubgraphDataSource } from "../../gateway/subgraph-data-source";

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

describe("gateway → subgraph calls", () => {
  let server: http.Server;
  let handler: Handler;
  let connections = 0;
  const seenHeaders: http.IncomingHttpHeaders[] = [];
  let url: string;

  beforeAll(async () => {
    setConfig(loadConfig({ ...process.env, SUBGRAPH_SECRET: "stub-secret-".padEnd(40, "s") }));
    server = http.createServer((request, response) => {
      seenHeaders.push(request.headers);
      request.resume();
      request.on("end", () => handler(request, response));
    });
    server.on("connection", () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (source: SubgraphDataSource) =>
    source.process({ kind: GraphQLDataSourceRequestKind.HEALTH_CHECK, request: { query: "{ __typename }" }, context: { requestId: "stub-request-1" } });
  const json =
    (status: number, body: unknown): Handler =>
    (_request, response) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };

  it("keeps one connection alive across calls and sends the subgraph secret", async () => {
    handler = json(200, { data: { __typename: "Query" } });
    const source = new SubgraphDataSource({ name: "stub", url, timeoutMs: 2000 });
    const before = connections;
    for (let index = 0; index < 5; index++) expect((await call(source)).data).toEqual({ __typename: "Query" });
    expect(connections - before).toBe(1);
    expect(seenHeaders.at(-1)!["x-subgraph-secret"]).toBe("stub-secret-".padEnd(40, "s"));
  });

  it("gives up on a subgraph that does not answer, at the deadline, with SERVICE_UNAVAILABLE", async () => {
    handler = () => undefined; // never answers
    const source = new SubgraphDataSource({ name: "stub", url, timeoutMs: 300 });
    const started = Date.now();
    const error = (await call(source).catch((caught) => caught)) as GraphQLError;
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.extensions).toEqual({ code: "SERVICE_UNAVAILABLE", requestId: "stub-request-1" });
    expect(error.message).not.toMatch(/127\.0\.0\.1|stub/);
  });

  it("masks HTTP failures: no URL, status text or body reaches the client", async () => {
    handler = (_request, response) => {
      response.writeHead(500, { "content-type": "text/html" });
      response.end("<h1>Proxy error at http://10.0.0.7:4002/graphql</h1>");
    };
    const source = new SubgraphDataSource({ name: "stub", url, timeoutMs: 2000 });
    const error = (await call(source).catch((caught) => caught)) as Error;
    expect(error).not.toBeInstanceOf(GraphQLError);
    handler = json(503, { errors: [{ message: "overloaded at 10.0.0.7" }] });
    const unavailable = (await call(source).catch((caught) => caught)) as GraphQLError;
    expect(unavailable.extensions?.code).toBe("SERVICE_UNAVAILABLE");
    expect(JSON.stringify(unavailable)).not.toMatch(/10\.0\.0\.7|127\.0\.0\.1/);
    handler = json(403, { errors: [{ message: "This service answers the API gateway only.", extensions: { code: "FORBIDDEN" } }] });
    expect(((await call(source).catch((caught) => caught)) as GraphQLError).extensions?.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("passes a subgraph's own refusal of the caller (401 UNAUTHENTICATED) with its code and message", async () => {
    handler = json(401, { errors: [{ message: "The API client behind this token has been revoked.", extensions: { code: "UNAUTHENTICATED" } }] });
    const source = new SubgraphDataSource({ name: "stub", url, timeoutMs: 2000 });
    const error = (await call(source).catch((caught) => caught)) as GraphQLError;
    expect(error.extensions).toEqual({ code: "UNAUTHENTICATED" });
    expect(error.message).toBe("The API client behind this token has been revoked.");
  });

  it("answers SERVICE_UNAVAILABLE at once for a subgraph that is not listening", async () => {
    const source = new SubgraphDataSource({ name: "stub", url: "http://127.0.0.1:9/graphql", timeoutMs: 5000 });
    const started = Date.now();
    const error = (await call(source).catch((caught) => caught)) as GraphQLError;
    expect(error.extensions?.code).toBe("SERVICE_UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
