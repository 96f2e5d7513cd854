// Starts real subgraphs (and the gateway) on free ports against a fresh database, as a partner would reach them.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { config, loadConfig, setConfig, SUBGRAPH_NAMES, SubgraphName } from "../../lib/config";
import type { RunningService } from "../../lib/server";
import { RunningSubgraph, startSubgraph } from "../../lib/subgraph-service";
import { startGateway } from "../../gateway";
import { subgraphDefinitions } from "../../subgraphs";
import { createTestDatabase } from "./database";

export interface TestSystem {
  /** The gateway's /graphql URL, when started. */
  gatewayUrl: string;
  /** Each started subgraph's /graphql URL. */
  urls: Record<SubgraphName, string>;
  dataSources: Record<SubgraphName, DataSource>;
  databaseUrl: string;
  mediaRoot: string;
  /**
   * Handles every event already published, in every started subgraph, until none is left (a grant request, its
   * acknowledgement, the publication it completes…). The feeds' long polls do the same on their own within moments;
   * tests call this to reach the settled state without waiting.
   */
  settleEvents(): Promise<void>;
  stop(): Promise<void>;
}

export interface SystemOptions {
  subgraphs?: SubgraphName[];
  gateway?: boolean;
  /** Extra environment for the configuration (e.g. JWT settings). */
  env?: Record<string, string>;
  /** A supergraph for the gateway instead of the checked-in one (e.g. with a field marked deprecated). */
  supergraphSdl?: string;
}

/** Starts the requested subgraphs (default: all four) and the gateway (default: on). */
export async function startSystem(options: SystemOptions = {}): Promise<TestSystem> {
  const names = options.subgraphs ?? [...SUBGRAPH_NAMES];
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-test-data-"));
  // Subgraphs require the shared secret in every test, as in production (tests/kit/http sends it to subgraphs).
  const subgraphSecret = randomBytes(24).toString("hex");
  setConfig(
    loadConfig({
      ...process.env,
      DATA_DIR: dataDir,
      PORT: "0",
      DATABASE_URL: database.url,
      SUBGRAPH_SECRET: subgraphSecret,
      // Rate limits high by default (tests fire many requests with one token); tests of the limits set their own.
      RATE_LIMIT_PER_SECOND: "100000",
      RATE_LIMIT_BURST: "100000",
      // Likewise the public share (production: one at a time per process): tests send anonymous requests side by side.
      ADMISSION_PUBLIC_CONCURRENCY: "32",
      ADMISSION_PUBLIC_QUEUE_LENGTH: "64",
      REDIS_URL: "",
      USAGE_FLUSH_MS: "200",
      WEBHOOK_POLL_MS: "50",
      WEBHOOK_RETRY_BASE_MS: "100",
      // Tests change public data and read it back at once; the response cache's own tests turn it on (RESPONSE_CACHE=memory).
      RESPONSE_CACHE: "off",
      ...options.env,
    }),
  );
  const services: RunningService[] = [];
  /** Everything that follows event feeds: the subgraphs and the gateway (its response cache). */
  const followers: Pick<RunningSubgraph, "handlePendingEvents">[] = [];
  const urls = {} as Record<SubgraphName, string>;
  const dataSources = {} as Record<SubgraphName, DataSource>;
  try {
    for (const name of names) {
      const definition = subgraphDefinitions[name];
      if (!definition) throw new Error(`The ${name} subgraph is not defined yet.`);
      const running = await startSubgraph(definition, { port: 0, databaseUrl: database.url });
      services.push(running);
      followers.push(running);
      urls[name] = running.url;
      dataSources[name] = running.dataSource;
    }
    // Subgraphs not started answer nowhere (a closed port), as a subgraph that is down would.
    for (const name of SUBGRAPH_NAMES) urls[name] ??= "http://127.0.0.1:9/graphql";
    setConfig({ ...config(), subgraphUrls: urls });
    let gatewayUrl = "";
    if (options.gateway ?? true) {
      const gateway = await startGateway({ port: 0, subgraphUrls: urls, supergraphSdl: options.supergraphSdl });
      services.unshift(gateway);
      followers.push(gateway);
      gatewayUrl = gateway.url;
      // Media URLs are built on the public URL, which is the gateway's.
      setConfig({ ...config(), publicUrl: new URL(gateway.url).origin });
    }
    return {
      gatewayUrl,
      urls,
      dataSources,
      databaseUrl: database.url,
      mediaRoot: config().mediaRoot,
      settleEvents: async () => {
        for (let round = 0; round < 20; round++) {
          let handled = 0;
          for (const follower of followers) handled += await follower.handlePendingEvents();
          if (handled === 0) return;
        }
        throw new Error("Events did not settle after 20 rounds: a handler keeps producing events.");
      },
      stop: async () => {
        for (const service of services) await service.stop();
        await database.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const service of services) await service.stop().catch(() => undefined);
    await database.drop();
    throw error;
  }
}
