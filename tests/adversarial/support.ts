// Helpers for the adversarial suite: raw HTTP (bodies a well-behaved client would never send), timing, and
// the count of requests that reached the subgraphs, so a refusal can be shown to have cost them nothing.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { graphqlRequestObserver } from "../../lib/server";

const seen: { service: string; requestId: string }[] = [];
graphqlRequestObserver.onRequest = (service, requestId) => {
  if (service !== "gateway") seen.push({ service, requestId });
};

/** A fresh request id; the gateway forwards it to every subgraph it calls for that request. */
export const newRequestId = () => `adversarial-${randomUUID()}`;

/** How many subgraph requests (in this process) the client request with this id caused. */
export function subgraphRequestsFor(requestId: string): number {
  return seen.filter((item) => item.requestId === requestId).length;
}

export interface RawResponse {
  status: number;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: any;
  ms: number;
  headers: http.IncomingHttpHeaders;
}

/**
 * Sends `body` as it is (a string or Buffer, any headers) with node's http client and reads the whole answer.
 * `chunked: true` leaves out Content-Length, so the server cannot refuse by the header alone.
 */
export function rawRequest(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = { "content-type": "application/json" },
  options: { method?: string; chunked?: boolean } = {},
): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method ?? "POST",
        headers: options.chunked ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, text, json, ms: Date.now() - started, headers: response.headers });
        });
        response.on("error", reject);
      },
    );
    // The server may answer and close before the whole body is written: that is a refusal, not a failure.
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE" || error.code === "ECONNRESET") resolve({ status: 0, text: "", json: undefined, ms: Date.now() - started, headers: {} });
      else reject(error);
    });
    if (options.chunked && Buffer.byteLength(body) > 65536) {
      // Write in pieces so the body really streams.
      const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
      let offset = 0;
      const writeMore = () => {
        while (offset < buffer.length) {
          const piece = buffer.subarray(offset, offset + 65536);
          offset += piece.length;
          if (!request.write(piece)) return void request.once("drain", writeMore);
        }
        request.end();
      };
      writeMore();
    } else request.end(body);
  });
}

/** Codes of a raw GraphQL answer's errors. */
export const rawCodes = (response: RawResponse): unknown[] => (response.json?.errors ?? []).map((error: any) => error.extensions?.code);

/** Samples this process's heap while `work` runs and returns the largest growth over the start, in MB. */
export async function peakHeapGrowthMb(work: () => Promise<unknown>): Promise<number> {
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return (peak - start) / (1024 * 1024);
}
