// How the gateway calls a subgraph: forwards the caller's token, request id and languages,
// and streams multipart uploads on to the subgraph that owns the upload field.
import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { VISITOR_ID_HEADER } from "../lib/context";
import { currentRequestScope, REQUEST_ID_HEADER } from "../lib/request-context";
import type { GatewayContext } from "./context";
import { badInput, codedError, ErrorCode } from "../lib/errors";
import { FoundUpload, findUploads, multipartBody, postMultipart } from "./upload-forwarding";
import { subgraphSecretHeaders } from "../lib/subgraph-secret";
import { subgraphFailure } from "./subgraph-failure";
import { subgraphFetch } from "./subgraph-fetcher";
import { deadlineHeaders } from "../lib/request-deadline";
import { withDistinctRepresentations } from "./dedupe-representations";
import { SpanKind } from "@opentelemetry/api";
import { metrics } from "../lib/metrics";
import { traceHeaders, withSpan } from "../lib/telemetry";

/** The headers every subgraph request carries. Each subgraph verifies the token again. */
function forwardedHeaders(context: Partial<GatewayContext>): Record<string, string> {
  const headers: Record<string, string> = { ...subgraphSecretHeaders() };
  if (context.authorization) headers.authorization = context.authorization;
  if (context.requestId) headers[REQUEST_ID_HEADER] = context.requestId;
  if (context.acceptLanguage) headers["accept-language"] = context.acceptLanguage;
  // The subgraphs trust X-Forwarded-For from the gateway only (TRUST_PROXY), for per-address limits.
  if (context.clientIp) headers["x-forwarded-for"] = context.clientIp;
  if (context.visitorId) headers[VISITOR_ID_HEADER] = context.visitorId;
  // W3C traceparent of the current fetch span, so the subgraph's spans join the gateway's trace.
  Object.assign(headers, traceHeaders());
  return headers;
}

/** Waits for every file part of the client's request; a broken multipart body is the client's error, with a code. */
async function awaitUploads(uploads: FoundUpload[]): Promise<void> {
  for (const { upload } of uploads) {
    try {
      await upload.promise;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 413) throw codedError(ErrorCode.PAYLOAD_TOO_LARGE, String((error as Error).message));
      throw badInput(`The multipart request is malformed: ${String((error as Error).message ?? error).slice(0, 200)}.`);
    }
  }
}

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** A call that has not answered by then is abandoned; the rest of the request goes on without it. */
  timeoutMs: number;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  readonly timeoutMs: number;

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.url, fetcher: subgraphFetch as unknown as RemoteGraphQLDataSource["fetcher"] });
    this.name = options.name;
    this.timeoutMs = options.timeoutMs;
    // The cache policy comes from the supergraph's hints (gateway/response-cache); subgraphs send no Cache-Control.
    this.honorSubgraphCacheControlHeader = false;
    // subgraphFetch keeps connections alive and aborts the call on the signal: at the deadline, or as soon as the
    // caller has gone. The subgraph learns the deadline too (x-request-deadline-ms), so it never works past it even
    // if the closed connection does not reach it; either way it drops the work not started and cancels its running
    // statements (lib/statement-cancellation).
    const fetcher = this.fetcher;
    this.fetcher = ((url: string, init: { headers?: Record<string, string> } & Record<string, unknown>) => {
      const callerGone = currentRequestScope()?.signal;
      const deadline = AbortSignal.timeout(this.timeoutMs);
      return fetcher(url, {
        ...init,
        headers: { ...init.headers, ...deadlineHeaders(this.timeoutMs) },
        signal: callerGone ? AbortSignal.any([deadline, callerGone]) : deadline,
      });
    }) as unknown as typeof this.fetcher;
  }

  /** Network failures, timeouts and non-2xx answers become coded errors without the subgraph's name, URL or body. */
  override didEncounterError(error: Error, _request: unknown, _response: unknown, context: GatewayContext): never {
    throw subgraphFailure(error, { name: this.name, url: this.url!, timeoutMs: this.timeoutMs, requestId: context?.requestId });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    for (const [name, value] of Object.entries(forwardedHeaders(context))) request.http!.headers.set(name, value);
  }

  /** Times every subgraph call (metrics) in a CLIENT span whose context travels in the request's traceparent. */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const done = metrics.subgraphFetchDuration.startTimer({ subgraph: this.name });
    try {
      const response = await withSpan(`subgraph ${this.name}`, { kind: SpanKind.CLIENT, attributes: { "image_china.subgraph": this.name } }, () =>
        this.processUntimed(options),
      );
      done({ outcome: response.errors?.length ? "errors" : "ok" });
      return response;
    } catch (error) {
      done({ outcome: "failed" });
      throw error;
    }
  }

  private async processUntimed(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    // Only a multipart request can carry files: other requests skip the walk through every variable (representations).
    const incoming = "incomingRequestContext" in options ? options.incomingRequestContext.request.http : undefined;
    const uploads = !incoming || incoming.headers.get("content-type")?.startsWith("multipart/") ? findUploads(options.request.variables) : [];
    if (uploads.length === 0) return withDistinctRepresentations(options, (distinct) => super.process(distinct));
    await awaitUploads(uploads);
    const multipart = multipartBody(
      { query: options.request.query!, operationName: options.request.operationName, variables: options.request.variables },
      uploads,
    );
    // Apollo's CSRF prevention is on at the subgraph too.
    let response: { status: number; body: string };
    try {
      // The connection may stay silent while the subgraph checks and stores the files, so uploads get a minute at least.
      response = await postMultipart(
        this.url!,
        { ...forwardedHeaders(options.context), "apollo-require-preflight": "true" },
        multipart,
        Math.max(60_000, this.timeoutMs),
      );
    } catch (error) {
      throw subgraphFailure(error as Error, { name: this.name, url: this.url!, timeoutMs: this.timeoutMs, requestId: options.context?.requestId });
    }
    let result: GatewayGraphQLResponse | undefined;
    try {
      result = JSON.parse(response.body) as GatewayGraphQLResponse;
    } catch {
      result = undefined;
    }
    if (!result || (!("data" in result) && !("errors" in result))) {
      throw new Error(`Upload forwarding got status ${response.status} from the subgraph`);
    }
    return result;
  }
}
