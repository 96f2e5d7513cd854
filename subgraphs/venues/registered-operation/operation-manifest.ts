// Reads a persisted-documents manifest as GraphQL Code Generator's client preset writes it
// (`{ "<sha256 of the document text>": "<document text>" }`): every hash must match its text and every document must
// be valid against the API schema, or nothing is registered.
import { DocumentNode, GraphQLError, GraphQLSchema, Kind, parse, validate } from "graphql";
import { documentHash } from "../../../lib/document-hash";
import { badInput } from "../../../lib/errors";

export const MAX_OPERATIONS_PER_MANIFEST = 1000;
export const MAX_DOCUMENT_LENGTH = 100_000;

export interface ManifestOperation {
  hash: string;
  document: string;
  /** Names of the operations the document defines (anonymous ones are listed as "(anonymous)"). */
  operationNames: string[];
}

export type ManifestProblemKind = "MALFORMED_HASH" | "HASH_MISMATCH" | "NOT_TEXT" | "TOO_LARGE" | "PARSE_FAILED" | "NO_OPERATION" | "VALIDATION_FAILED";

export interface ManifestProblem {
  hash: string;
  problem: ManifestProblemKind;
  message: string;
}

function operationNamesOf(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION ? [definition.name?.value ?? "(anonymous)"] : []));
}

function checkOne(hash: string, text: unknown, schema: GraphQLSchema): ManifestOperation | ManifestProblem {
  if (!/^[0-9a-f]{64}$/.test(hash)) return { hash, problem: "MALFORMED_HASH", message: "Keys must be lowercase hex SHA-256 hashes of the document text." };
  if (typeof text !== "string") return { hash, problem: "NOT_TEXT", message: "Each value must be the document's text." };
  if (text.length > MAX_DOCUMENT_LENGTH) return { hash, problem: "TOO_LARGE", message: `Documents are limited to ${MAX_DOCUMENT_LENGTH} characters.` };
  if (documentHash(text) !== hash) return { hash, problem: "HASH_MISMATCH", message: "The key is not the SHA-256 hash of the document text." };
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens: 20_000 });
  } catch (error) {
    return { hash, problem: "PARSE_FAILED", message: (error as GraphQLError).message };
  }
  const operationNames = operationNamesOf(document);
  if (operationNames.length === 0) return { hash, problem: "NO_OPERATION", message: "The document defines no operation." };
  const errors = validate(schema, document, undefined, { maxErrors: 5 });
  if (errors.length) return { hash, problem: "VALIDATION_FAILED", message: errors.map((error) => error.message).join(" ") };
  return { hash, document: text, operationNames };
}

/** The manifest's operations; BAD_USER_INPUT listing every problem (extensions.problems) when any is wrong. */
export function readOperationManifest(manifest: unknown, schema: GraphQLSchema): ManifestOperation[] {
  if (!manifest || typeof manifest !== "object" || Array.isArray(manifest)) {
    throw badInput('The manifest must be a JSON object { "<sha256 hash>": "<document text>" }.', { argument: "manifest" });
  }
  const entries = Object.entries(manifest as Record<string, unknown>);
  if (entries.length === 0) throw badInput("The manifest holds no operation.", { argument: "manifest" });
  if (entries.length > MAX_OPERATIONS_PER_MANIFEST) {
    throw badInput(`A manifest holds at most ${MAX_OPERATIONS_PER_MANIFEST} operations; register it in parts.`, {
      argument: "manifest",
      max: MAX_OPERATIONS_PER_MANIFEST,
    });
  }
  const results = entries.map(([hash, text]) => checkOne(hash, text, schema));
  const problems = results.filter((result): result is ManifestProblem => "problem" in result);
  if (problems.length) {
    throw badInput(`${problems.length} of the manifest's ${entries.length} operations cannot be registered; nothing was registered.`, {
      argument: "manifest",
      problems: problems.slice(0, 50),
    });
  }
  return results as ManifestOperation[];
}
