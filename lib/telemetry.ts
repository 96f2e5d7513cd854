// OpenTelemetry traces: gateway → subgraphs → PostgreSQL in one trace, W3C traceparent on every hop (gateway fetches,
// internal calls, outbox events). Started only when an OTLP endpoint is configured; otherwise nothing is registered
// and every helper here is a no-op (the API's default tracer makes non-recording spans, and most helpers return early).
//
// Spans are made explicitly (server span per request, client span per subgraph fetch) rather than by patching node:http,
// and pg is patched on the module object this code itself loads: both work the same whether each service runs in its
// own process or several share one (npm start, jest, whose module registry bypasses require hooks).
import { Attributes, Context, context, Link, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { RequestHandler } from "express";
import { config } from "./config";
import { logger } from "./logger";
import { currentRequestScope } from "./request-context";

/** Attribute names every span carries (set from the request scope when the span starts). */
export const REQUEST_ID_ATTRIBUTE = "request.id";
export const SERVICE_ATTRIBUTE = "image_china.service";

const TRACER_NAME = "image-china";

interface ActiveTelemetry {
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let active: ActiveTelemetry | undefined;

/** True once traces are being exported in this process. */
export function telemetryEnabled(): boolean {
  return active !== undefined;
}

/**
 * Starts exporting traces over OTLP/HTTP (JSON) if OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set; once per process
 * (the first service to start names the resource unless OTEL_SERVICE_NAME does). Safe to call from every service.
 */
export function startTelemetry(serviceName: string): void {
  const { tracesEndpoint, serviceName: configuredName } = config().telemetry;
  if (active || !tracesEndpoint) return;
  // Required here so a process without tracing never loads the SDK.
  const { NodeTracerProvider } = require("@opentelemetry/sdk-trace-node") as typeof import("@opentelemetry/sdk-trace-node");
  const { BatchSpanProcessor } = require("@opentelemetry/sdk-trace-base") as typeof import("@opentelemetry/sdk-trace-base");
  const { resourceFromAttributes } = require("@opentelemetry/resources") as typeof import("@opentelemetry/resources");
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": configuredName ?? serviceName }),
    spanProcessors: [
      {
        // The request id and the answering service on every span, whichever library made it (Apollo, pg, ours).
        onStart(span: Span) {
          const scope = currentRequestScope();
          if (scope) span.setAttributes({ [REQUEST_ID_ATTRIBUTE]: scope.requestId, [SERVICE_ATTRIBUTE]: scope.service });
        },
        onEnd() {},
        forceFlush: async () => {},
        shutdown: async () => {},
      },
      new BatchSpanProcessor(otlpJsonExporter(tracesEndpoint, config().telemetry.headers), { scheduledDelayMillis: 1000 }),
    ],
  });
  // Registers the tracer provider, the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  instrumentPostgres(provider);
  active = { flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
  logger.info("tracing on", { endpoint: tracesEndpoint });
}

/**
 * OTLP/HTTP with JSON bodies, serialised by OpenTelemetry's own transformer and sent with fetch. The upstream
 * exporter loads node:http through import(), which jest cannot run without experimental flags; fetch works everywhere.
 */
function otlpJsonExporter(url: string, headers: Record<string, string>): import("@opentelemetry/sdk-trace-base").SpanExporter {
  const { JsonTraceSerializer } = require("@opentelemetry/otlp-transformer") as typeof import("@opentelemetry/otlp-transformer");
  const pending = new Set<Promise<void>>();
  return {
    export(spans, done) {
      const body = JsonTraceSerializer.serializeRequest(spans);
      const sent = fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, signal: AbortSignal.timeout(10_000) })
        .then(async (response) => {
          await response.arrayBuffer().catch(() => undefined);
          done(response.ok ? { code: 0 } : { code: 1, error: new Error(`OTLP endpoint answered ${response.status}`) });
        })
        .catch((error: Error) => done({ code: 1, error }))
        .finally(() => pending.delete(sent));
      pending.add(sent);
    },
    forceFlush: async () => {
      await Promise.all([...pending]);
    },
    shutdown: async () => {
      await Promise.all([...pending]);
    },
  };
}

/** Patches pg (client queries) and pg-pool (connects) as loaded by this code's module system, not only through require hooks. */
function instrumentPostgres(provider: import("@opentelemetry/api").TracerProvider): void {
  const { PgInstrumentation } = require("@opentelemetry/instrumentation-pg") as typeof import("@opentelemetry/instrumentation-pg");
  // Only SQL inside a traced request or event: the outbox and webhook pollers would otherwise start a trace a second.
  const instrumentation = new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false });
  instrumentation.setTracerProvider(provider);
  const pg = require("pg") as typeof import("pg");
  // pg-pool is pg's own dependency (not always resolvable from here): pg.Pool extends it.
  const modules: Record<string, unknown> = { pg, "pg-pool": Object.getPrototypeOf(pg.Pool) };
  for (const definition of instrumentation.getModuleDefinitions()) {
    if (modules[definition.name]) definition.patch?.(modules[definition.name], "");
  }
}

/** Sends every finished span now (tests, shutdown). */
export async function flushTelemetry(): Promise<void> {
  await active?.flush();
}

/** Flushes and stops the exporter (after the services have stopped). */
export async function stopTelemetry(): Promise<void> {
  const stopping = active;
  active = undefined;
  await stopping?.shutdown().catch((error) => logger.warn("could not flush traces", { error }));
}

function tracer() {
  return trace.getTracer(TRACER_NAME);
}

const UNTRACED_PATHS = new Set(["/health", "/ready", "/metrics"]);

/** A SERVER span per HTTP request, continuing the caller's trace from its traceparent header. */
export function traceRequests(service: string): RequestHandler {
  return (request, response, next) => {
    if (!active || UNTRACED_PATHS.has(request.path)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer().startSpan(
      `${request.method} ${request.path}`,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method, "url.path": request.path, [SERVICE_ATTRIBUTE]: service } },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      span.setAttribute("http.response.status_code", response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    response.once("finish", end);
    response.once("close", end);
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Runs `fn` in a child span of the current one (a no-op span when tracing is off). */
export async function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context; links?: Link[] },
  fn: () => Promise<T>,
): Promise<T> {
  if (!active) return fn();
  const span = tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    options.parent ?? context.active(),
  );
  try {
    return await context.with(trace.setSpan(options.parent ?? context.active(), span), fn);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/** The current trace context as headers (traceparent, tracestate) for an outgoing call; empty when tracing is off. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  if (active) propagation.inject(context.active(), headers);
  return headers;
}

/** The trace context stored with an outbox event, so its dispatch continues the trace of the request that caused it. */
export function currentTraceContext(): Record<string, string> | null {
  const headers = traceHeaders();
  return headers.traceparent ? headers : null;
}

/** Context and link of a stored trace context (null when the event was recorded untraced). */
export function storedTraceContext(stored: Record<string, string> | null | undefined): { parent: Context; link: Link } | undefined {
  if (!stored?.traceparent) return undefined;
  const parent = propagation.extract(ROOT_CONTEXT, stored);
  const spanContext = trace.getSpanContext(parent);
  return spanContext ? { parent, link: { context: spanContext } } : undefined;
}
