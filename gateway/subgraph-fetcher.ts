// How the gateway sends a subgraph request: node:http over a keep-alive agent, one per subgraph origin.
// Apollo's default fetcher (make-fetch-happen) also keeps connections alive, but its HTTP-cache and proxy layers
// (agent-base builds an Error and parses its stack for every request to tell http from https) cost the gateway
// more CPU per subgraph request than the request itself; the gateway never caches subgraph answers anyway.
import http from "node:http";
import https from "node:https";
import { getOperationAST, parse } from "graphql";
import { config } from "../lib/config";

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

/**
 * An idle socket is closed by the gateway before the subgraph's keep-alive timeout can close it (the subgraphs run
 * the same HTTP_KEEP_ALIVE_TIMEOUT_MS), so a request is rarely written to a socket the other side is closing.
 */
function idleSocketTimeoutMs(): number {
  const serverTimeout = config().connections.keepAliveTimeoutMs;
  return Math.max(50, Math.min(serverTimeout - 1000, Math.floor(serverTimeout / 2)));
}

const agentOptions = (): http.AgentOptions => ({
  keepAlive: true,
  maxSockets: MAX_SOCKETS_PER_SUBGRAPH,
  maxFreeSockets: MAX_SOCKETS_PER_SUBGRAPH,
  scheduling: "lifo",
  timeout: idleSocketTimeoutMs(),
});
let agents: { "http:": http.Agent; "https:": https.Agent } | undefined;
const agentFor = (protocol: string) => {
  agents ??= { "http:": new http.Agent(agentOptions()), "https:": new https.Agent(agentOptions()) };
  return agents[protocol as "http:" | "https:"];
};

/**
 * True when a request failed only because the kept-alive socket it was written to was being closed by the subgraph
 * (its keep-alive timer fired first, which a subgraph paused or starved of CPU does on resuming): nothing was answered,
 * and the subgraph never read the request. Node's documentation gives this test for a safe retry.
 */
function closedBeforeAnswer(request: http.ClientRequest, error: NodeJS.ErrnoException, answered: boolean): boolean {
  return request.reusedSocket && !answered && (error.code === "ECONNRESET" || error.message === "socket hang up");
}

/** Only a query is sent again: a mutation is never repeated, even where the subgraph could not have read it. */
function isQuery(body: Buffer | undefined): boolean {
  if (!body) return true;
  try {
    const { query, operationName } = JSON.parse(body.toString("utf8")) as { query?: unknown; operationName?: unknown };
    if (typeof query !== "string") return false;
    return getOperationAST(parse(query), typeof operationName === "string" ? operationName : undefined)?.operation === "query";
  } catch {
    return false;
  }
}

/**
 * A fetch for subgraph calls: keep-alive, the body read whole (subgraph answers are JSON), aborted by `signal`. A query
 * written to a socket the subgraph was closing is sent once more on another.
 */
export async function subgraphFetch(url: string, init: SubgraphRequestInit = {}): Promise<SubgraphResponse> {
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  try {
    return await send(url, init, body);
  } catch (error) {
    if (!(error instanceof ClosedBeforeAnswerError) || init.signal?.aborted || !isQuery(body))
      throw error instanceof ClosedBeforeAnswerError ? error.socketError : error;
    return send(url, init, body).catch((again) => Promise.reject(again instanceof ClosedBeforeAnswerError ? again.socketError : again));
  }
}

/** The socket was closed under a request before any answer (see closedBeforeAnswer); `socketError` is the socket's error. */
class ClosedBeforeAnswerError extends Error {
  constructor(readonly socketError: Error) {
    super(socketError.message);
  }
}

function send(url: string, init: SubgraphRequestInit, body: Buffer | undefined): Promise<SubgraphResponse> {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = transport.request(
      target,
      {
        method: init.method ?? "GET",
        agent: agentFor(target.protocol),
        headers: { ...init.headers, ...(body ? { "content-length": String(body.length) } : {}) },
        signal: init.signal,
      },
      (response) => {
        answered = true;
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
    request.on("error", (error: NodeJS.ErrnoException) => reject(closedBeforeAnswer(request, error, answered) ? new ClosedBeforeAnswerError(error) : error));
    request.end(body);
  });
}
