// npm start: the whole system on one machine — embedded PostgreSQL unless DATABASE_URL is set,
// migrations, demo data into an empty database, the four subgraphs and the gateway.
import "reflect-metadata";
import path from "node:path";
import type { DataSource } from "typeorm";
import { config, SUBGRAPH_NAMES, SubgraphName } from "../lib/config";
import { EmbeddedDatabase, startEmbeddedPostgres } from "../lib/embedded-postgres";
import { logger } from "../lib/logger";
import { startTelemetry } from "../lib/telemetry";
import { RunningService, stopOnSignals } from "../lib/server";
import { startSubgraph } from "../lib/subgraph-service";
import { startGateway } from "../gateway";
import { subgraphDefinitions } from "../subgraphs";
import { DEMO_CLIENTS, loadDemoDataIfEmpty } from "./demo-data";

async function main(): Promise<void> {
  const startedAt = Date.now();
  const settings = config();
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = settings.databaseUrl;
  if (!databaseUrl) {
    try {
      embedded = await startEmbeddedPostgres(path.join(settings.dataDir, "postgres"), settings.embeddedPostgresPort);
    } catch (error) {
      // One sentence saying what to do (a private folder as root, a taken port), not a stack trace.
      process.stderr.write(`Could not start the embedded PostgreSQL: ${(error as Error).message}\n`);
      process.exit(1);
    }
    databaseUrl = embedded.url;
  }
  startTelemetry("image-china");
  const services: RunningService[] = [];
  // The gateway first (it flushes API usage to venues), then the subgraphs, then the database they all use: the
  // embedded PostgreSQL runs in its own process group, so Ctrl-C reaches this process only and the order holds.
  const stopAll = async () => {
    // Followers and feeds first, everywhere, so no service is left calling one that has already gone.
    await Promise.all(services.map((service) => service.quiesce()));
    for (const service of [...services].reverse()) await service.stop();
    await embedded?.stop();
  };
  stopOnSignals(stopAll);
  try {
    const dataSources = {} as Record<SubgraphName, DataSource>;
    for (const name of SUBGRAPH_NAMES) {
      const definition = subgraphDefinitions[name];
      if (!definition) continue;
      const subgraph = await startSubgraph(definition, { port: settings.subgraphPorts[name], databaseUrl });
      services.push(subgraph);
      dataSources[name] = subgraph.dataSource;
    }
    const loaded = settings.demoData ? await loadDemoDataIfEmpty(dataSources) : false;
    const gateway = await startGateway({ port: settings.port });
    services.push(gateway);
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    const lines = [
      "",
      `Image China partner API is ready in ${seconds}s: ${gateway.url}`,
      `  database: ${embedded ? `embedded PostgreSQL under ${embedded.directory}` : "DATABASE_URL"}${loaded ? " (demo data loaded)" : ""}`,
      `  subgraphs: ${services
        .filter((s) => s.name !== "gateway")
        .map((s) => `${s.name} ${s.url}`)
        .join(", ")}`,
    ];
    if (settings.demoData) {
      lines.push("  demo API clients (exchange for a token with the issueToken mutation):");
      for (const client of DEMO_CLIENTS)
        lines.push(`    ${client.role.padEnd(9)} clientId ${client.clientId.padEnd(15)} clientSecret ${client.clientSecret}   ${client.scope}`);
      lines.push(
        "  try:",
        `    curl -s ${gateway.url} -H 'content-type: application/json' \\`,
        `      -d '{"query":"{ exhibition(slug: \\"harmonious-co-existence\\") { title works(first: 3) { edges { node { caption entry { title venue { code } } } } } } }"}'`,
      );
    }
    process.stdout.write(`${lines.join("\n")}\n\n`);
  } catch (error) {
    logger.error("could not start", { error });
    await stopAll().catch(() => undefined);
    process.exit(1);
  }
}

main();
