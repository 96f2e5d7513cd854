// The HTTP bootstrap every service shares: Apollo Server 5 on express 5, request ids, /health, /ready, graceful stop.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { RequestHandler } from "express";
import { ApolloServer, ApolloServerOptions, BaseContext } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { GraphQLError } from "graphql";
import { config } from "./config";
import { formatError, identicalErrorsOncePlugin } from "./errors";
import { logger } from "./logger";
import { REQUEST_ID_HEADER, requestIdFrom, runInRequestScope } from "./request-context";
import { subgraphSecretGuard } from "./subgraph-secret";
import { metrics, metricsRoute, operationMetricsPlugin, startMetricsServer, uploadBytesMiddleware } from "./metrics";
import { startTelemetry, stopTelemetry, traceRequests } from "./telemetry";
import { boundConnections, boundedServerOptions } from "./connection-limits";

export interface RunningService {
  name: string;
  url: string;
  port: number;
  /** Stops accepting connections, finishes requests in flight, then runs the service's own cleanup. */
  stop(): Promise<void>;
  /**
   * Ends the work that talks to other services (event feeds and their followers) without closing anything else, so
   * services stopped together (npm start) stop talking to each other before any of them goes away. stop() does it too.
   */
  quiesce(): Promise<void>;
}

export interface ServiceOptions<TContext extends BaseContext> {
  name: string;
  port: number;
  host?: string;
  /** A subgraph schema, or a gateway. */
  apollo: Pick<ApolloServerOptions<TContext>, "schema" | "gateway"> & { plugins?: ApolloServerOptions<TContext>["plugins"] };
  context: (request: express.Request) => Promise<TContext>;
  /** True when the service can serve (its database answers). */
  ready: () => Promise<boolean>;
  /** Admission: the first middleware on /graphql, before any body is read (budgets, shares, token check). */
  admission?: RequestHandler[];
  /** Middleware that must run before the GraphQL handler (multipart uploads, limits). */
  before?: RequestHandler[];
  /** Middleware after the body is read, before Apollo parses the operation (the gateway's operation limits). */
  beforeOperation?: RequestHandler[];
  /** Largest JSON body accepted. */
  jsonLimit?: string;
  /** Extra HTTP routes besides /graphql (the entries service's /media). */
  routes?: (app: express.Express) => void;
  /** A subgraph: every route but /health and /ready requires SUBGRAPH_SECRET when it is set. */
  requireSubgraphSecret?: boolean;
  /** Runs first when stopping, before requests in flight are drained (ends the event feeds' long polls). */
  onStopping?: () => Promise<void>;
  /** Cleanup after the HTTP server has closed (close the database, …). */
  onStop?: () => Promise<void>;
}

/** Statuses that GraphQL errors thrown while building the context should carry over HTTP. */
function httpStatusFor(error: unknown): number | undefined {
  if (error instanceof GraphQLError && error.extensions?.code === "UNAUTHENTICATED") return 401;
  if (error instanceof GraphQLError && error.extensions?.code === "SERVICE_UNAVAILABLE") return 503;
  return undefined;
}

/** Told of every request that reaches a service's /graphql: tests prove a refused operation cost no subgraph call. */
export const graphqlRequestObserver: { onRequest?: (service: string, requestId: string) => void } = {};

/** GraphQL requests each service of this process has received, for the benchmark (GET /metrics with BENCH_METRICS on). */
export const graphqlRequestCounts: Record<string, number> = {};

export async function startService<TContext extends BaseContext>(options: ServiceOptions<TContext>): Promise<RunningService> {
  startTelemetry(options.name);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config().trustProxy);
  // Slow clients must not hold sockets forever: header deadline from accept, keep-alive limits, connection caps.
  const httpServer = http.createServer(boundedServerOptions(), app);
  httpServer.requestTimeout = 10 * 60_000;
  boundConnections(httpServer);

  const apollo = new ApolloServer<TContext>({
    ...options.apollo,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: config().nodeEnv !== "production",
    // No "Did you mean …?" hints that would spell out the schema field by field.
    hideSchemaDetailsFromClientErrors: config().nodeEnv === "production",
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // stopOnSignals does it: Apollo's own handler would race it and leave the process hanging on SIGTERM.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used: the default cache-control plugin would only wrap every field resolver (a few % of CPU).
      ApolloServerPluginCacheControlDisabled(),
      ...(options.apollo.schema ? [ApolloServerPluginInlineTraceDisabled()] : []),
      identicalErrorsOncePlugin,
      ...(options.apollo.plugins ?? []),
      operationMetricsPlugin<TContext>(options.name, (context) => clientLabel((context as { viewer?: { clientId?: string; role?: string } }).viewer)),
    ],
  } as ApolloServerOptions<TContext>);
  await apollo.start();

  app.use((req, res, next) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    runInRequestScope(requestId, options.name, next);
  });
  app.use(traceRequests(options.name));
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: options.name });
  });
  app.get("/ready", async (_req, res) => {
    const ready = await options.ready();
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", service: options.name });
  });
  // Prometheus metrics: behind the subgraph secret here (open only with BENCH_METRICS for the benchmark), or on METRICS_PORT.
  app.get("/metrics", metricsRoute);
  if (options.requireSubgraphSecret) app.use(subgraphSecretGuard());
  options.routes?.(app);
  app.use("/graphql", (req, _res, next) => {
    graphqlRequestCounts[options.name] = (graphqlRequestCounts[options.name] ?? 0) + 1;
    metrics.httpGraphqlRequests.inc({ service: options.name });
    graphqlRequestObserver.onRequest?.(options.name, String(req.headers[REQUEST_ID_HEADER]));
    next();
  });
  app.use(
    "/graphql",
    ...(options.admission ?? []),
    uploadBytesMiddleware(options.name),
    ...(options.before ?? []),
    express.json({ limit: options.jsonLimit ?? "1mb" }),
    ...(options.beforeOperation ?? []),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return await options.context(req);
        } catch (error) {
          const status = httpStatusFor(error);
          if (status && error instanceof GraphQLError) {
            throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status } } });
          }
          throw error;
        }
      },
    }),
  );
  // Body-parser and other middleware errors (bad JSON, body too large) become coded GraphQL-shaped errors.
  app.use(((error, _req, res, _next) => {
    const status = typeof error?.status === "number" ? error.status : 500;
    const code = status === 413 ? "PAYLOAD_TOO_LARGE" : status < 500 ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR";
    if (status >= 500) logger.error("request failed", { error });
    const message = status < 500 && error?.expose !== false ? String(error.message) : "Internal server error.";
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  }) as express.ErrorRequestHandler);

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.host ?? config().host, () => resolve());
  });
  const metricsListener = await startMetricsServer();
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host ?? config().host}:${port}/graphql`;
  logger.info("service listening", { service: options.name, url });

  let stopping: Promise<void> | undefined;
  let quiescing: Promise<void> | undefined;
  const quiesce = () => (quiescing ??= (async () => options.onStopping?.())());
  return {
    name: options.name,
    url,
    port,
    quiesce,
    stop: () =>
      (stopping ??= (async () => {
        await quiesce();
        await apollo.stop();
        await options.onStop?.();
        await metricsListener?.release();
        logger.info("service stopped", { service: options.name });
      })()),
  };
}

/** The client label of request metrics: the API client, else the caller's role (user subjects would be unbounded). */
function clientLabel(viewer: { clientId?: string; role?: string } | undefined): string {
  return viewer?.clientId ?? (viewer?.role ? `role:${viewer.role}` : "anonymous");
}

/** Stops the given services on SIGTERM/SIGINT, finishing requests in flight, then exits. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let received = false;
  const handler = (signal: NodeJS.Signals) => {
    if (received) return;
    received = true;
    logger.info("shutting down", { signal });
    stop()
      .then(() => stopTelemetry())
      .then(() => process.exit(0))
      .catch((error) => {
        logger.error("shutdown failed", { error });
        process.exit(1);
      });
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
