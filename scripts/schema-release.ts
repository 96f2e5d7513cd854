// npm run schema:release: records the current API schema as a release (schema/released/<YYYY-MM-DD>.graphql) once it
// passes the schema change check, and regenerates docs/CHANGELOG-schema.md from all releases.
// Run it when a schema change ships; commit the new file and the changelog with it.
//
//   npm run schema:release -- --accept-breaking "<why>"   records it although the check fails (a security fix, or a
//                                                        change made before partners were told of the schema); the
//                                                        reason is kept beside the release and shown in the changelog

import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { printSchema } from "graphql";
import { schemaChangelog } from "./schema-contract/changelog";
import {
  ACCEPTED_BREAKING_SUFFIX,
  currentApiSchemaSdl,
  readReleases,
  readRegisteredExport,
  REGISTERED_OPERATIONS_EXPORT_PATH,
  RELEASED_DIR,
  SCHEMA_CHANGELOG_PATH,
} from "./schema-contract/sources";
import { runSchemaCheck } from "./schema-check";

/** Writes a release file when the schema changed since the last one; returns its name, or undefined. */
export function recordRelease(currentSdl: string, directory: string, today: Date, acceptedBreaking?: string): string | undefined {
  const releases = readReleases(directory);
  const last = releases[releases.length - 1];
  if (last && `${printSchema(last.schema)}\n` === currentSdl) return undefined;
  const day = today.toISOString().slice(0, 10);
  let name = `${day}.graphql`;
  for (let suffix = 2; fs.existsSync(path.join(directory, name)); suffix += 1) name = `${day}-${suffix}.graphql`;
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, name), currentSdl);
  if (acceptedBreaking) fs.writeFileSync(path.join(directory, name.replace(/\.graphql$/, ACCEPTED_BREAKING_SUFFIX)), `${acceptedBreaking.trim()}\n`);
  return name;
}

async function main(): Promise<void> {
  const index = process.argv.indexOf("--accept-breaking");
  const acceptedBreaking = index >= 0 ? process.argv[index + 1]?.trim() : undefined;
  if (index >= 0 && !acceptedBreaking) throw new Error('--accept-breaking needs the reason, e.g. --accept-breaking "security fix: …"');
  const registered = fs.existsSync(REGISTERED_OPERATIONS_EXPORT_PATH) ? readRegisteredExport(REGISTERED_OPERATIONS_EXPORT_PATH) : undefined;
  const { report, text } = await runSchemaCheck({ registered });
  process.stdout.write(text);
  if (!report.passed && !acceptedBreaking)
    throw new Error('Not released: the schema change check failed (see docs/deprecation-policy.md; --accept-breaking "<why>" overrides it).');
  const written = recordRelease(currentApiSchemaSdl(), RELEASED_DIR, new Date(), report.passed ? undefined : acceptedBreaking);
  process.stdout.write(written ? `wrote schema/released/${written}\n` : "the schema has not changed since the last release\n");
  fs.writeFileSync(SCHEMA_CHANGELOG_PATH, await schemaChangelog(readReleases()));
  process.stdout.write("wrote docs/CHANGELOG-schema.md\n");
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
