// npm run operations:export: writes every registered operation (with its client) from the venues database
// (DATABASE_URL) to a JSON file — schema/registered-operations.json by default, or the path given — so the schema
// change check can run where the database is out of reach (CI). An organiser runs it before reviewing a schema change.
import "reflect-metadata";
import fs from "node:fs";
import { config } from "../lib/config";
import { exportRegisteredOperations, REGISTERED_OPERATIONS_EXPORT_PATH } from "./schema-contract/sources";

async function main(): Promise<void> {
  const url = config().databaseUrl;
  if (!url) throw new Error("Set DATABASE_URL to the database whose venues schema holds the registered operations.");
  const target = process.argv[2] ?? REGISTERED_OPERATIONS_EXPORT_PATH;
  const exported = await exportRegisteredOperations(url);
  fs.writeFileSync(target, `${JSON.stringify(exported, null, 2)}\n`);
  process.stdout.write(`wrote ${exported.operations.length} registered operations to ${target}\n`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
