// Drops the template database and stops the embedded PostgreSQL, leaving nothing running or on disk.
import fs from "node:fs";
import { Client } from "pg";
import type { EmbeddedDatabase } from "../../lib/embedded-postgres";

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  if (adminUrl) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${process.env.TEST_TEMPLATE_DATABASE}%`]);
    for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await admin.end();
  }
  const started = (globalThis as Record<string, unknown>).__testPostgres as { embedded: EmbeddedDatabase; directory: string } | undefined;
  if (started) {
    await started.embedded.stop();
    fs.rmSync(started.directory, { recursive: true, force: true });
  }
}
