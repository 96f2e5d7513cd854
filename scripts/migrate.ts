// npm run migrate (node dist/scripts/migrate.js in the image): brings every subgraph's schema up to date against
// DATABASE_URL and exits — the Compose one-off and the Kubernetes Job. Safe beside starting replicas (advisory lock).
import "reflect-metadata";
import { config, SUBGRAPH_NAMES, SubgraphName } from "../lib/config";
import { openDatabase } from "../lib/database";
import { logger } from "../lib/logger";
import { migrationsBySubgraph } from "../migrations";

export async function migrateAll(databaseUrl: string, names: readonly SubgraphName[] = SUBGRAPH_NAMES): Promise<void> {
  for (const name of names) {
    const dataSource = await openDatabase({ schema: name, url: databaseUrl, entities: [], migrations: migrationsBySubgraph[name], poolSize: 1 });
    await dataSource.destroy();
    logger.info("migrated", { schema: name });
  }
}

if (require.main === module) {
  const databaseUrl = config().databaseUrl;
  const names = process.argv.slice(2) as SubgraphName[];
  const unknown = names.filter((name) => !SUBGRAPH_NAMES.includes(name));
  if (!databaseUrl || unknown.length) {
    process.stderr.write(
      unknown.length
        ? `Unknown subgraph: ${unknown.join(", ")} (one of ${SUBGRAPH_NAMES.join(", ")}).\n`
        : "Invalid configuration: DATABASE_URL must be set to run the migrations.\n",
    );
    process.exit(1);
  }
  migrateAll(databaseUrl, names.length ? names : SUBGRAPH_NAMES)
    .then(() => process.exit(0))
    .catch((error) => {
      logger.error("migrations failed", { error });
      process.exit(1);
    });
}
