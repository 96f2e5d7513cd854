// Where the schema change check finds its inputs: the released API schemas (schema/released/<date>.graphql), the
// current one (from the checked-in supergraph), and the operations partners use — the guides' docs/operations, the
// example clients, and the registered operations (an export file, or the venues database directly).
import fs from "node:fs";
import path from "node:path";
import { buildSchema, Kind, parse, printSchema } from "graphql";
import type { DataSource } from "typeorm";
import { apiSchemaFromSupergraph } from "../../lib/api-schema";
import { createDataSource } from "../../lib/database";
import { PROJECT_ROOT, SUPERGRAPH_PATH } from "../../lib/paths";
import { RegisteredOperationStore } from "../../subgraphs/venues/registered-operation/registered-operation.store";
import type { CheckedOperation, Release } from "./compatibility";

export const RELEASED_DIR = path.join(PROJECT_ROOT, "schema", "released");
export const SCHEMA_CHANGELOG_PATH = path.join(PROJECT_ROOT, "docs", "CHANGELOG-schema.md");
/** Where `npm run operations:export` writes, and where schema:check looks by default. */
export const REGISTERED_OPERATIONS_EXPORT_PATH = path.join(PROJECT_ROOT, "schema", "registered-operations.json");
const RELEASE_FILE = /^(\d{4}-\d{2}-\d{2})(?:-(\d+))?\.graphql$/;
/** Beside a release recorded although its breaking changes failed the check: why they were accepted. */
export const ACCEPTED_BREAKING_SUFFIX = ".accepted-breaking.txt";

/** The API schema partners see, as printed SDL (descriptions and @deprecated included). */
export function currentApiSchemaSdl(supergraphSdl = fs.readFileSync(SUPERGRAPH_PATH, "utf8")): string {
  return `${printSchema(apiSchemaFromSupergraph(supergraphSdl))}\n`;
}

/** Released schemas, oldest first. */
export function readReleases(directory = RELEASED_DIR): Release[] {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory)
    .map((file) => ({ file, match: RELEASE_FILE.exec(file) }))
    .filter((item): item is { file: string; match: RegExpExecArray } => item.match !== null)
    .sort((a, b) => a.match[1].localeCompare(b.match[1]) || Number(a.match[2] ?? 1) - Number(b.match[2] ?? 1))
    .map(({ file, match }) => {
      const accepted = path.join(directory, file.replace(/\.graphql$/, ACCEPTED_BREAKING_SUFFIX));
      return {
        version: file.replace(/\.graphql$/, ""),
        date: new Date(`${match[1]}T00:00:00Z`),
        schema: buildSchema(fs.readFileSync(path.join(directory, file), "utf8")),
        acceptedBreaking: fs.existsSync(accepted) ? fs.readFileSync(accepted, "utf8").trim() : undefined,
      };
    });
}

function graphqlFiles(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : graphqlFiles(full);
    return entry.name.endsWith(".graphql") ? [full] : [];
  });
}

function operationNames(document: string): string {
  try {
    const names = parse(document).definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION ? [definition.name?.value ?? "(anonymous)"] : [],
    );
    return names.join(", ") || "(fragments only)";
  } catch {
    return "(does not parse)";
  }
}

/** Every .graphql document under docs/operations (client "docs") and examples/<client>/ (client "examples/<client>"). */
export function readRepositoryOperations(root = PROJECT_ROOT): CheckedOperation[] {
  const docs = graphqlFiles(path.join(root, "docs", "operations")).map((file) => ({ file, client: "docs" }));
  const examples = graphqlFiles(path.join(root, "examples")).map((file) => ({
    file,
    client: `examples/${path.relative(path.join(root, "examples"), file).split(path.sep)[0]}`,
  }));
  return [...docs, ...examples].map(({ file, client }) => {
    const document = fs.readFileSync(file, "utf8");
    return { source: path.relative(root, file), client, name: operationNames(document), document };
  });
}

export interface RegisteredOperationsExport {
  exportedAt: string;
  operations: { clientId: string | null; clientName: string | null; hash: string; document: string; operationNames: string[] }[];
}

export function checkedRegisteredOperations(exported: RegisteredOperationsExport): CheckedOperation[] {
  return exported.operations.map((operation) => ({
    source: `registered:${operation.hash}`,
    client: operation.clientId === null ? "public safelist" : `${operation.clientId} (${operation.clientName ?? "unnamed"})`,
    name: operation.operationNames.join(", "),
    document: operation.document,
  }));
}

export function readRegisteredExport(file: string): RegisteredOperationsExport {
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as RegisteredOperationsExport;
  if (!parsed || !Array.isArray(parsed.operations)) throw new Error(`${file} is not an export written by npm run operations:export.`);
  return parsed;
}

/** Reads every registered operation from the venues schema (organisers' database access). */
export async function exportRegisteredOperations(databaseUrl: string): Promise<RegisteredOperationsExport> {
  const dataSource: DataSource = createDataSource({ schema: "venues", url: databaseUrl, entities: [], migrations: [], poolSize: 1 });
  await dataSource.initialize();
  try {
    return { exportedAt: new Date().toISOString(), operations: await new RegisteredOperationStore(dataSource).exportAll() };
  } finally {
    await dataSource.destroy();
  }
}
