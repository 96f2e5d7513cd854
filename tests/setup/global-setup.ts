// Starts one PostgreSQL for the whole run (embedded, or TEST_DATABASE_URL's server) and builds a
// template database with every subgraph's migrations; each test file clones it (CREATE DATABASE … TEMPLATE).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { startEmbeddedPostgres } from "../../lib/embedded-postgres";
import { openDatabase } from "../../lib/database";
import { SUBGRAPH_NAMES } from "../../lib/config";
import { migrationsBySubgraph } from "../../migrations";
import { freePortBlock } from "../../lib/free-ports";

export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = "test";
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "error";
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-test-pg-"));
    const embedded = await startEmbeddedPostgres(path.join(directory, "cluster"), await freePortBlock(1), "postgres");
    (globalThis as Record<string, unknown>).__testPostgres = { embedded, directory };
    adminUrl = embedded.url;
  }
  const template = `image_china_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  for (const name of SUBGRAPH_NAMES) {
    const dataSource = await openDatabase({ schema: name, url: templateUrl.toString(), entities: [], migrations: migrationsBySubgraph[name], poolSize: 1 });
    await dataSource.destroy();
  }
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.TEST_TEMPLATE_DATABASE = template;
}
