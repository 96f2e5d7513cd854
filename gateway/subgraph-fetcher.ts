// How the gateway sends a subgraph request: node:http over a keep-alive agent, one per subgraph origin.
// Apollo's default fetcher (make-fetch-happen) also keeps connections alive, but its HTTP-cache and proxy layers
// (agent-base builds an Error and parses its stack for every request to tell http from https) cost the gateway
// more CPU per subgraph request than the request itself; the gateway never caches subgraph answers anyway.
import http from "node:http";
import https from "node:https";

/** The part of a fetch Response that RemoteGraphQLDataSource reads. */
export interface SubgraphResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface SubgraphRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** Sockets kept open per subgraph: enough for the gateway's concurrency, reused across requests. */
const MAX_SOCKETS_PER_SUBGRAPH = 64;
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_SUBGRAPH, maxFreeSockets: MAX_SOCKETS_PER_SUBGRAPH, scheduling: "lifo" }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_SUBGRAPH, maxFreeSockets: MAX_SOCKETS_PER_SUBGRAPH, scheduling: "lifo" }),
};

/** A fetch for subgraph calls: keep-alive, the body read whole (subgraph answers are JSON), aborted by `signal`. */
export function subgraphFetch(url: string, init: SubgraphRequestInit = {}): Promise<SubgraphResponse> {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  return new Promise((resolve, reject) => {
    const request = transport.request(
      target,
      {
        method: init.method ?? "GET",
        agent: agents[target.protocol as "http:" | "https:"],
        headers: { ...init.headers, ...(body ? { "content-length": String(body.length) } : {}) },
        signal: init.signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = response.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: response.statusMessage ?? "",
            url,
            headers: {
              get: (name) => {
                const value = response.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
              },
            },
            text: async () => text,
            json: async () => JSON.parse(text),
          });
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
