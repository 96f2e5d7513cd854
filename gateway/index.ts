// The gateway: serves the checked-in supergraph, verifies tokens at the edge and plans queries across the subgraphs.
import "reflect-metadata";
import fs from "node:fs";
import { ApolloGateway } from "@apollo/gateway";
import type { GraphQLSchema } from "graphql";
import { multipartRequests } from "../lib/multipart-requests";
import { config, SubgraphName } from "../lib/config";
import { logger } from "../lib/logger";
import { SUPERGRAPH_PATH } from "../lib/paths";
import { RunningService, startService, stopOnSignals } from "../lib/server";
import { createGatewayContext, GatewayContext } from "./context";
import { entriesProxy } from "./entries-proxy";
import { uploadProxy } from "./upload-proxy";
import { operationLimitsMiddleware } from "./limits/operation-limits.middleware";
import { registerExplorer } from "./explorer/explorer.routes";
import { SubgraphDataSource } from "./subgraph-data-source";
import { createRateLimitStore, enforceRateLimit } from "./rate-limit";
import { usageClientId, usagePlugin, UsageRecorder } from "./usage";
import { pollRevokedClients } from "../lib/revocation-client";

export interface GatewayOptions {
  port: number;
  /** Where each subgraph answers; defaults to the configured URLs. */
  subgraphUrls?: Record<SubgraphName, string>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningService> {
  const urls = options.subgraphUrls ?? config().subgraphUrls;
  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(SUPERGRAPH_PATH, "utf8"),
    buildService: ({ name }) => new SubgraphDataSource({ name, url: urls[name as SubgraphName], timeoutMs: config().subgraphTimeoutMs }),
  });
  const rateLimits = createRateLimitStore();
  const usage = new UsageRecorder(config().usageFlushMilliseconds);
  const revocations = pollRevokedClients("gateway");
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
    apiSchema = loaded;
  });
  return startService<GatewayContext>({
    name: "gateway",
    port: options.port,
    apollo: { gateway, plugins: [usagePlugin(usage)] },
    context: async (request) => {
      const context = createGatewayContext(request);
      try {
        await enforceRateLimit(rateLimits, context.viewer, context.clientIp);
      } catch (error) {
        usage.record(usageClientId(context.viewer), { rateLimited: true });
        throw error;
      }
      return context;
    },
    onStop: async () => {
      revocations.stop();
      await usage.stop();
      await rateLimits.close();
    },
    // Multipart uploads are parsed here (files buffered on disk, not in memory) and streamed on by SubgraphDataSource.
    beforeOperation: [operationLimitsMiddleware(config().operationLimits, () => apiSchema)],
    before: [multipartRequests()],
    routes: (app) => {
      const proxy = entriesProxy(urls.entries);
      app.get("/media/*path", (request, response) => void proxy(request, response));
      app.get("/exports/*path", (request, response) => void proxy(request, response));
      app.put("/uploads/*path", uploadProxy(urls.entries));
      registerExplorer(app);
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
}

if (require.main === module) {
  startGateway({ port: config().port })
    .then((service) => stopOnSignals(service.stop))
    .catch((error) => {
      logger.error("could not start", { service: "gateway", error });
      process.exit(1);
    });
}
