// The gateway: serves the checked-in supergraph, verifies tokens at the edge and plans queries across the subgraphs.
import "reflect-metadata";
import fs from "node:fs";
import { ApolloGateway } from "@apollo/gateway";
import type { GraphQLSchema } from "graphql";
import { multipartRequests } from "../lib/multipart-requests";
import { config, SubgraphName } from "../lib/config";
import { logger } from "../lib/logger";
import { metrics, operationLabel } from "../lib/metrics";
import { SUPERGRAPH_PATH } from "../lib/paths";
import { RunningService, startService, stopOnSignals } from "../lib/server";
import { createGatewayContext, GatewayContext } from "./context";
import { entriesProxy } from "./entries-proxy";
import { uploadProxy } from "./upload-proxy";
import { operationLimitsMiddleware } from "./limits/operation-limits.middleware";
import { registerExplorer } from "./explorer/explorer.routes";
import { SubgraphDataSource } from "./subgraph-data-source";
import { createRateLimitStore } from "./rate-limit";
import { chargeOperationCost, createAdmission } from "./admission/admission.middleware";
import { admissionPlugin } from "./admission/admission.plugin";
import { EXPORT_POINTS, MEDIA_POINTS } from "./limits/field-weights";
import { usageClientId, usagePlugin, UsageRecorder } from "./usage";
import { followRevokedClients } from "../lib/revocation-client";
import { RegisteredOperationsCache } from "./persisted-operations/registered-operations.cache";
import { persistedOperationsMiddleware } from "./persisted-operations/persisted-operations.middleware";
import { deprecatedFieldUsagePlugin } from "./persisted-operations/deprecated-field-usage.plugin";
import { publicJwks } from "../lib/auth";
import { createResponseCache } from "./response-cache/response-cache";
import { responseCacheEvictions } from "./response-cache/response-cache.events";
import { EventFollower, followEventsInMemory } from "../lib/events/follower";

export interface GatewayOptions {
  port: number;
  /** Where each subgraph answers; defaults to the configured URLs. */
  subgraphUrls?: Record<SubgraphName, string>;
  /** The supergraph to serve; defaults to the checked-in schema/supergraph.graphql (tests serve variants of it). */
  supergraphSdl?: string;
}

export interface RunningGateway extends RunningService {
  /** Handles the events already in the feeds it follows (tests: evict without waiting for the long polls). */
  handlePendingEvents(): Promise<number>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const urls = options.subgraphUrls ?? config().subgraphUrls;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? fs.readFileSync(SUPERGRAPH_PATH, "utf8"),
    buildService: ({ name }) => new SubgraphDataSource({ name, url: urls[name as SubgraphName], timeoutMs: config().subgraphTimeoutMs }),
  });
  const rateLimits = createRateLimitStore();
  const usage = new UsageRecorder(config().usageFlushMilliseconds);
  const revocations = followRevokedClients("gateway");
  const registeredOperations = new RegisteredOperationsCache(config().registeredOperations);
  void registeredOperations.refresh();
  // Admission comes first on every route that does work: budget, token, uploads, capacity shares.
  const admission = createAdmission({
    rateLimits,
    onRateLimited: (viewer) => usage.record(usageClientId(viewer), { rateLimited: true }),
    points: (request) => (request.path.startsWith("/exports/") ? EXPORT_POINTS : request.path.startsWith("/media/") ? MEDIA_POINTS : 1),
  });
  const responseCache = createResponseCache();
  // Cached answers are evicted by the events that change them (each replica follows the feeds itself).
  const follower: EventFollower | undefined =
    config().responseCache.store === "off" ? undefined : followEventsInMemory("gateway", responseCacheEvictions(responseCache));
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded, coreSupergraphSdl }) => {
    apiSchema = loaded;
    responseCache.setSchema(loaded, coreSupergraphSdl);
  });
  const service = await startService<GatewayContext>({
    name: "gateway",
    port: options.port,
    apollo: { gateway, plugins: [...responseCache.plugins(), usagePlugin(usage), deprecatedFieldUsagePlugin(usage), admissionPlugin()] },
    // The rate budget was charged by admission, before the body was read.
    context: async (request) => createGatewayContext(request),
    onStopping: async () => {
      await follower?.stop();
      await revocations.stop();
    },
    onStop: async () => {
      registeredOperations.stop();
      await usage.stop();
      await rateLimits.close();
      await responseCache.stop();
    },
    // Multipart uploads are parsed here (files buffered on disk, not in memory) and streamed on by SubgraphDataSource.
    beforeOperation: [
      persistedOperationsMiddleware(registeredOperations),
      operationLimitsMiddleware(
        config().operationLimits,
        () => apiSchema,
        (request, response, cost) => chargeOperationCost(rateLimits, request, response, cost),
      ),
      // Last: a repeated public request is answered here, from the cache, without Apollo.
      responseCache.frontDoor((_request, operationName, seconds) => {
        usage.record(usageClientId(undefined), { error: false });
        const labels = { service: "gateway", operation: operationLabel(operationName), client: "anonymous" };
        metrics.operations.inc(labels);
        metrics.operationDuration.observe(labels, seconds);
        metrics.responseCacheFrontHits.inc();
      }),
      // The capacity share, once the body is in and the operation checked: a slow or refused body holds no slot.
      admission.share,
    ],
    admission: admission.arrival,
    before: [multipartRequests()],
    routes: (app) => {
      const proxy = entriesProxy(urls.entries);
      // The path check is the cheapest refusal, so it comes before admission.
      app.get("/media/*path", proxy.checkPath, ...admission.handlers, (request, response) => void proxy(request, response));
      app.get("/exports/*path", proxy.checkPath, ...admission.handlers, (request, response) => void proxy(request, response));
      // Parts of resumable uploads: admitted like the other media routes, before their bytes are read.
      app.put("/uploads/*path", ...admission.handlers, uploadProxy(urls.entries));
      registerExplorer(app);
      // The public keys of the token signing key, to verify signed documents such as published score-log heads.
      app.get("/.well-known/jwks.json", (_request, response) => void response.json(publicJwks()));
    },
    ready: async () => {
      const checks = await Promise.all(
        Object.values(urls).map((url) =>
          fetch(new URL("/ready", url), { signal: AbortSignal.timeout(2000) })
            .then((response) => response.ok)
            .catch(() => false),
        ),
      );
      return checks.every(Boolean);
    },
  });
  return { ...service, handlePendingEvents: async () => (await follower?.runOnce()) ?? 0 };
}

if (require.main === module) {
  startGateway({ port: config().port })
    .then((service) => stopOnSignals(service.stop))
    .catch((error) => {
      logger.error("could not start", { service: "gateway", error });
      process.exit(1);
    });
}
