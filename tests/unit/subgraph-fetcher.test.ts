// The gateway's subgraph fetch against a real server that closes a kept-alive socket as the next request arrives,
// which is what a subgraph's keep-alive timer does when it fires first (a paused or CPU-starved subgraph resuming).
import net from "node:net";
import type { AddressInfo } from "node:net";
import { subgraphFetch } from "../../gateway/subgraph-fetcher";

/** Answers the first request on each connection, then closes the connection when a second one arrives on it. */
async function closingServer(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let served = 0;
    socket.on("data", (chunk) => {
      // Each test body is small enough to arrive in one chunk with its headers.
      if (!chunk.toString("latin1").includes("\r\n\r\n")) return;
      if (served++ > 0) return void socket.destroy();
      requests += 1;
      const body = '{"data":{"ok":true}}';
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`);
    });
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests: () => requests,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const post = (url: string, query: string) =>
  subgraphFetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });

describe("subgraphFetch on a kept-alive socket the subgraph closes", () => {
  let server: Awaited<ReturnType<typeof closingServer>>;
  beforeEach(async () => (server = await closingServer()));
  afterEach(() => server.close());

  it("sends a query once more on a new connection and returns its answer", async () => {
    expect((await post(server.url, "{ ok }")).status).toBe(200);
    const again = await post(server.url, "query Again { ok }");
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ data: { ok: true } });
    expect(server.requests()).toBe(2);
  });

  it("never sends a mutation twice: the caller gets the socket's error", async () => {
    expect((await post(server.url, "{ ok }")).status).toBe(200);
    await expect(post(server.url, "mutation Change { ok }")).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(server.requests()).toBe(1);
  });

  it("does not retry a request on a fresh connection (the subgraph may have read it)", async () => {
    const refusing = net.createServer((socket) => socket.on("data", () => socket.destroy()));
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    let connections = 0;
    refusing.on("connection", () => (connections += 1));
    const { port } = refusing.address() as AddressInfo;
    await expect(post(`http://127.0.0.1:${port}/graphql`, "{ ok }")).rejects.toThrow();
    expect(connections).toBe(1);
    await new Promise((resolve) => refusing.close(resolve));
  });
});
