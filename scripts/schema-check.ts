// npm run schema:check, second half (after the freshness check in scripts/schema.ts): diffs the API schema against
// the last released one and fails on a breaking change that known operations use or that the deprecation policy
// does not yet allow; also fails when docs/CHANGELOG-schema.md is not what the releases generate.
//
//   npm run schema:check                                   registered operations from schema/registered-operations.json when present
//   npm run schema:check -- --registered-operations f.json an export written by npm run operations:export
//   npm run schema:check -- --database                     read them from DATABASE_URL directly
//   npm run schema:check -- --today 2027-04-01             judge removal dates as of that day
import "reflect-metadata";
import fs from "node:fs";
import { buildSchema } from "graphql";
import { config } from "../lib/config";
import { schemaChangelog } from "./schema-contract/changelog";
import { CheckedOperation, checkCompatibility, CompatibilityReport, formatReport } from "./schema-contract/compatibility";
import {
  checkedRegisteredOperations,
  currentApiSchemaSdl,
  exportRegisteredOperations,
  readReleases,
  readRegisteredExport,
  readRepositoryOperations,
  REGISTERED_OPERATIONS_EXPORT_PATH,
  RegisteredOperationsExport,
  RELEASED_DIR,
  SCHEMA_CHANGELOG_PATH,
} from "./schema-contract/sources";

export interface SchemaCheckOptions {
  releasedDir?: string;
  /** The API schema to check (SDL); the checked-in supergraph's by default. */
  currentSdl?: string;
  registered?: RegisteredOperationsExport;
  repositoryRoot?: string;
  today?: Date;
}

export async function runSchemaCheck(options: SchemaCheckOptions = {}): Promise<{ report: CompatibilityReport; text: string; operations: CheckedOperation[] }> {
  const operations = [...readRepositoryOperations(options.repositoryRoot), ...(options.registered ? checkedRegisteredOperations(options.registered) : [])];
  const report = await checkCompatibility({
    releases: readReleases(options.releasedDir ?? RELEASED_DIR),
    current: buildSchema(options.currentSdl ?? currentApiSchemaSdl()),
    operations,
    today: options.today ?? new Date(),
  });
  return { report, text: formatReport(report), operations };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function registeredOperations(): Promise<{ registered: RegisteredOperationsExport | undefined; from: string }> {
  if (process.argv.includes("--database")) {
    const url = config().databaseUrl;
    if (!url) throw new Error("--database needs DATABASE_URL (the venues schema holds the registered operations).");
    return { registered: await exportRegisteredOperations(url), from: "the database" };
  }
  const file = argument("--registered-operations") ?? (fs.existsSync(REGISTERED_OPERATIONS_EXPORT_PATH) ? REGISTERED_OPERATIONS_EXPORT_PATH : undefined);
  if (!file) return { registered: undefined, from: "nowhere (no export; see docs/deprecation-policy.md)" };
  return { registered: readRegisteredExport(file), from: file };
}

async function main(): Promise<void> {
  const today = argument("--today");
  const { registered, from } = await registeredOperations();
  const { report, text, operations } = await runSchemaCheck({ registered, today: today ? new Date(`${today}T00:00:00Z`) : undefined });
  process.stdout.write(`Checked ${operations.length} operations (registered operations from ${from}).\n${text}`);
  const changelog = await schemaChangelog(readReleases());
  const current = fs.existsSync(SCHEMA_CHANGELOG_PATH) ? fs.readFileSync(SCHEMA_CHANGELOG_PATH, "utf8") : undefined;
  if (current !== changelog) {
    process.stderr.write("docs/CHANGELOG-schema.md is stale: run `npm run schema:release` (it regenerates the changelog) and commit the result.\n");
    process.exit(1);
  }
  if (!report.passed) process.exit(1);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
