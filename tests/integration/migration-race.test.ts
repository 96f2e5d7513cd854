// Replicas that start together on an empty database migrate it once, without errors: two copies of every subgraph
// start at the same moment, and the Kubernetes Job's `migrate` runs beside them.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { loadConfig, setConfig, SUBGRAPH_NAMES } from "../../lib/config";
import type { RunningSubgraph } from "../../lib/subgraph-service";
import { startSubgraph } from "../../lib/subgraph-service";
import { migrationsBySubgraph } from "../../migrations";
import { migrateAll } from "../../scripts/migrate";
import { subgraphDefinitions } from "../../subgraphs";

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe("migrations when replicas start at once", () => {
  const name = `image_china_race_${randomBytes(4).toString("hex")}`;
  const url = new URL(process.env.TEST_ADMIN_DATABASE_URL!);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-race-"));
  const started: RunningSubgraph[] = [];

  beforeAll(async () => {
    // An empty database: no template, no schema, no migrations table.
    await admin((client) => client.query(`CREATE DATABASE ${name}`));
    setConfig(
      loadConfig({
        ...process.env,
        DATA_DIR: dataDir,
        PORT: "0",
        DATABASE_URL: url.toString(),
        SUBGRAPH_SECRET: randomBytes(24).toString("hex"),
        REDIS_URL: "",
        LOG_LEVEL: "silent",
      }),
    );
  });

  afterAll(async () => {
    for (const service of started) await service.stop();
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("two copies of each subgraph and the migrations job start together; each migration runs once", async () => {
    const starts = SUBGRAPH_NAMES.flatMap((subgraph) =>
      [1, 2].map(() => startSubgraph(subgraphDefinitions[subgraph]!, { port: 0, databaseUrl: url.toString() })),
    );
    const results = await Promise.allSettled([...starts, migrateAll(url.toString())]);
    for (const result of results) if (result.status === "fulfilled" && result.value) started.push(result.value);
    expect(results.filter((result) => result.status === "rejected").map((result) => String((result as PromiseRejectedResult).reason))).toEqual([]);
    expect(started).toHaveLength(SUBGRAPH_NAMES.length * 2);

    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      for (const subgraph of SUBGRAPH_NAMES) {
        const { rows } = await client.query(`SELECT name, count(*)::int AS times FROM "${subgraph}".migrations GROUP BY name ORDER BY name`);
        expect(rows).toEqual(
          migrationsBySubgraph[subgraph].map((migration) => ({ name: migration.name, times: 1 })).sort((a, b) => a.name.localeCompare(b.name)),
        );
      }
    } finally {
      await client.end();
    }
    for (const service of started) {
      const response = await fetch(new URL("/ready", service.url));
      expect(response.status).toBe(200);
    }
  });
});
