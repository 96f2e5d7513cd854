// Prometheus metrics for every service (prom-client): one registry per process, each series labelled with the service,
// so the all-in-one launcher and the tests (several services in one process) are read like separate processes.
// Served at /metrics behind the subgraph secret, or on METRICS_PORT (cluster-internal); never on the public port alone.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import type { RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DataSource } from "typeorm";
import { config } from "./config";
import { logger } from "./logger";
import { isSubgraphSecret, SUBGRAPH_SECRET_HEADER } from "./subgraph-secret";

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const metrics = {
  eventBacklog: new Gauge({
    name: "image_china_event_backlog_events",
    help: "Events in a producer's feed that a consumer has not handled yet (at its last read).",
    labelNames: ["consumer", "producer"],
    registers: [metricsRegistry],
  }),
  eventLag: new Gauge({
    name: "image_china_event_lag_seconds",
    help: "Age of the oldest event a consumer had not handled at its last read (0 when none).",
    labelNames: ["consumer", "producer"],
    registers: [metricsRegistry],
  }),
  eventFailures: new Gauge({
    name: "image_china_event_failures",
    help: "Consecutive failures reading or handling a feed (0 when healthy).",
    labelNames: ["consumer", "producer"],
    registers: [metricsRegistry],
  }),
  videoRenditionsFailed: new Counter({
    name: "image_china_video_renditions_failed_total",
    help: "Videos reported FAILED after their last rendition attempt (alert on any increase; retryVideoRenditions makes them again).",
    registers: [metricsRegistry],
  }),
  responseCacheFrontHits: new Counter({
    name: "image_china_response_cache_front_hits_total",
    help: "Public answers the gateway served from its response cache before Apollo (no parse, plan or subgraph call).",
    registers: [metricsRegistry],
  }),
  httpGraphqlRequests: new Counter({
    name: "image_china_http_graphql_requests_total",
    help: "HTTP requests that reached /graphql, per service.",
    labelNames: ["service"],
    registers: [metricsRegistry],
  }),
  operations: new Counter({
    name: "image_china_graphql_operations_total",
    help: "GraphQL operations answered, per operation name and API client.",
    labelNames: ["service", "operation", "client"],
    registers: [metricsRegistry],
  }),
  operationDuration: new Histogram({
    name: "image_china_graphql_operation_duration_seconds",
    help: "Time to answer a GraphQL operation, per operation name and API client.",
    labelNames: ["service", "operation", "client"],
    buckets: LATENCY_BUCKETS,
    registers: [metricsRegistry],
  }),
  errors: new Counter({
    name: "image_china_graphql_errors_total",
    help: "Errors in GraphQL responses, by error code.",
    labelNames: ["service", "code"],
    registers: [metricsRegistry],
  }),
  subgraphFetchDuration: new Histogram({
    name: "image_china_subgraph_fetch_duration_seconds",
    help: "Gateway calls to a subgraph, by subgraph and outcome.",
    labelNames: ["subgraph", "outcome"],
    buckets: LATENCY_BUCKETS,
    registers: [metricsRegistry],
  }),
  sqlStatements: new Counter({
    name: "image_china_sql_statements_total",
    help: "SQL statements sent while serving requests.",
    labelNames: ["service"],
    registers: [metricsRegistry],
  }),
  statementsAbandoned: new Counter({
    name: "image_china_sql_statements_abandoned_total",
    help: "SQL statements of requests their caller abandoned (went away or passed its deadline): refused before sending, or cancelled while running.",
    labelNames: ["service", "outcome"],
    registers: [metricsRegistry],
  }),
  uploadBytes: new Counter({
    name: "image_china_upload_bytes_total",
    help: "Bytes of multipart upload requests received.",
    labelNames: ["service"],
    registers: [metricsRegistry],
  }),
};

/** Operation names label a series: names partners choose are kept when they look like names, bounded in length. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return "anonymous";
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : "invalid";
}

/** Counts every answered operation with its latency and its errors' codes. */
export function operationMetricsPlugin<TContext extends BaseContext>(service: string, clientOf: (context: TContext) => string): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          const labels = { service, operation: operationLabel(operationName), client: contextValue ? clientOf(contextValue) : "anonymous" };
          metrics.operations.inc(labels);
          metrics.operationDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
          for (const error of errors ?? []) metrics.errors.inc({ service, code: String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR") });
        },
      };
    },
  };
}

/** Counts the bytes of multipart (upload) requests once they have been read, without touching the stream. */
export function uploadBytesMiddleware(service: string): RequestHandler {
  return (request, response, next) => {
    if (request.headers["content-type"]?.startsWith("multipart/form-data")) {
      response.once("finish", () => {
        const length = Number(request.headers["content-length"]);
        if (Number.isFinite(length) && length > 0) metrics.uploadBytes.inc({ service }, length);
      });
    }
    next();
  };
}

const pools = new Map<string, DataSource>();

/** A subgraph's database, read when metrics are scraped: its pool, its outbox (if any), the webhook queue (venues). */
export function watchDatabase(service: string, dataSource: DataSource): () => void {
  pools.set(service, dataSource);
  return () => {
    if (pools.get(service) === dataSource) pools.delete(service);
  };
}

type PgPool = { totalCount: number; idleCount: number; waitingCount: number };

new Gauge({
  name: "image_china_database_pool_connections",
  help: "Database pool connections by state (in use, idle) and requests waiting for one.",
  labelNames: ["service", "state"],
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const [service, dataSource] of pools) {
      const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
      if (!pool) continue;
      this.set({ service, state: "in_use" }, pool.totalCount - pool.idleCount);
      this.set({ service, state: "idle" }, pool.idleCount);
      this.set({ service, state: "waiting" }, pool.waitingCount);
    }
  },
});

new Gauge({
  name: "image_china_webhook_backlog_deliveries",
  help: "Webhook deliveries waiting to be sent (pending) and the age of the oldest, in seconds.",
  labelNames: ["measure"],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    const webhookSource = pools.get("venues");
    if (!webhookSource) return;
    try {
      const [row] = await webhookSource.query(
        `SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS oldest FROM venues.webhook_delivery WHERE status = $1`,
        // venues' DeliveryStatus.PENDING (lib/ imports no subgraph code).
        ["PENDING"],
      );
      this.set({ measure: "pending" }, row.pending);
      this.set({ measure: "oldest_seconds" }, row.oldest);
    } catch (error) {
      logger.warn("could not read the webhook backlog", { error });
    }
  },
});

/** GET /metrics on a service's own port: only with the subgraph secret, or open when BENCH_METRICS is on (benchmarks). */
export const metricsRoute: RequestHandler = (request, response) => {
  const secret = config().subgraphSecret;
  const allowed = config().benchMetrics || (secret !== undefined && isSubgraphSecret(request.headers[SUBGRAPH_SECRET_HEADER], secret));
  if (!allowed) {
    response.status(404).json({ errors: [{ message: "Not found.", extensions: { code: "NOT_FOUND" } }] });
    return;
  }
  void metricsRegistry.metrics().then((text) => response.type(metricsRegistry.contentType).send(text));
};

let metricsServer: { server: http.Server; users: number } | undefined;

/** The port the process's metrics listener is on (METRICS_PORT=0 picks a free one), if it runs. */
export function metricsListenerPort(): number | undefined {
  return metricsServer ? (metricsServer.server.address() as AddressInfo).port : undefined;
}

/** Starts the process's metrics listener on METRICS_PORT (once, shared by the services of the process); returns its release. */
export async function startMetricsServer(): Promise<{ port: number; release: () => Promise<void> } | undefined> {
  const port = config().metricsPort;
  if (port === undefined) return undefined;
  if (!metricsServer) {
    const server = http.createServer((request, response) => {
      if (request.url !== "/metrics") {
        response.writeHead(404).end();
        return;
      }
      metricsRegistry.metrics().then(
        (text) => response.writeHead(200, { "content-type": metricsRegistry.contentType }).end(text),
        (error) => {
          logger.error("metrics failed", { error });
          response.writeHead(500).end();
        },
      );
    });
    metricsServer = { server, users: 0 };
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, config().host, () => resolve());
    });
    logger.info("metrics listening", { port: (server.address() as AddressInfo).port });
  }
  const current = metricsServer;
  current.users += 1;
  return {
    port: (current.server.address() as AddressInfo).port,
    release: async () => {
      current.users -= 1;
      if (current.users === 0 && metricsServer === current) {
        metricsServer = undefined;
        await new Promise<void>((resolve) => current.server.close(() => resolve()));
      }
    },
  };
}
