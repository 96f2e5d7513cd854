// Checks one GraphQL request against the caller's operation limits: the variables and the lexer tokens before
// anything is parsed, then depth, root fields, aliases, directives and estimated cost on the parsed document.
import { GraphQLError, GraphQLSchema, parse } from "graphql";
import { LRUCache } from "lru-cache";
import { Role, Viewer } from "../../lib/auth";
import { ErrorCode } from "../../lib/errors";
import type { OperationLimitName, OperationLimits } from "../../lib/operation-limits";
import { countTokens } from "./count-tokens";
import { measureOperation } from "./measure-operation";

const DESCRIPTIONS: Record<OperationLimitName, string> = {
  depth: "is nested too deeply",
  aliases: "has too many aliases",
  rootFields: "asks for too many top-level fields",
  tokens: "is too long",
  directives: "has too many directives",
  variables: "has too many variables",
  cost: "could return too much data (estimated cost; lower `first` or split the operation)",
};

export function operationLimitExceeded(limit: OperationLimitName, actual: number, max: number): GraphQLError {
  // Counting stops just past the limit for tokens and depth, so only "more than" is known.
  const exact = limit !== "tokens" && limit !== "depth";
  return new GraphQLError(`The operation ${DESCRIPTIONS[limit]}: ${exact ? actual : `more than ${max}`}, at most ${max} allowed.`, {
    extensions: { code: ErrorCode.OPERATION_LIMIT_EXCEEDED, limit, max, ...(exact ? { actual } : {}) },
  });
}

/** An operation that asks more than once for a field that may be asked once (aliases cannot multiply a password check). */
export function repeatedExpensiveField(field: string, uses: number): GraphQLError {
  return new GraphQLError(`The operation asks for ${field} ${uses} times; it may be asked once per operation (send separate requests).`, {
    extensions: { code: ErrorCode.OPERATION_LIMIT_EXCEEDED, limit: "oncePerOperation", field, max: 1, actual: uses },
  });
}

export interface OperationLimitSettings {
  default: OperationLimits;
  organizer: OperationLimits;
}

/** Organisers' admin tools get their own limits; everyone else (partners, venues, judges, the public) the default. */
export function limitsFor(settings: OperationLimitSettings, viewer: Viewer | undefined): OperationLimits {
  return viewer?.role === Role.ORGANIZER ? settings.organizer : settings.default;
}

export interface GraphQLRequestParts {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** The first limit the request passes, as a coded error; undefined when it stays within all of them (or does not parse). */
export function checkOperation(request: GraphQLRequestParts, limits: OperationLimits, schema: GraphQLSchema): GraphQLError | undefined {
  return checkAndMeasureOperation(request, limits, schema).error;
}

/**
 * Verdicts of recent requests, per limits and schema: a page that thousands of visitors ask for with the same
 * variables is parsed and measured once, not once per visitor. Bounded by entries and by the text they hold.
 */
const verdicts = new WeakMap<OperationLimits, WeakMap<GraphQLSchema, LRUCache<string, { error?: GraphQLError; cost?: number }>>>();
const MAX_REMEMBERED_TEXT = 8 * 1024 * 1024;

function verdictsFor(limits: OperationLimits, schema: GraphQLSchema) {
  let bySchema = verdicts.get(limits);
  if (!bySchema) verdicts.set(limits, (bySchema = new WeakMap()));
  let cache = bySchema.get(schema);
  if (!cache) bySchema.set(schema, (cache = new LRUCache({ max: 2000, maxSize: MAX_REMEMBERED_TEXT, sizeCalculation: (_value, key) => key.length + 1 })));
  return cache;
}

/** checkOperation, and the estimated cost of an operation within the limits (the rate budget is charged by it). */
export function checkAndMeasureOperation(
  request: GraphQLRequestParts,
  limits: OperationLimits,
  schema: GraphQLSchema,
): { error?: GraphQLError; cost?: number } {
  let key: string;
  try {
    key = JSON.stringify([request.query, request.operationName ?? null, request.variables ?? null]);
  } catch {
    // Variables nested past what JSON.stringify can walk: measured without remembering (Apollo refuses them anyway).
    return checkAndMeasureOnce(request, limits, schema);
  }
  if (key.length > MAX_REMEMBERED_TEXT / 64) return checkAndMeasureOnce(request, limits, schema);
  const cache = verdictsFor(limits, schema);
  let verdict = cache.get(key);
  if (!verdict) cache.set(key, (verdict = checkAndMeasureOnce(request, limits, schema)));
  return verdict;
}

function checkAndMeasureOnce(request: GraphQLRequestParts, limits: OperationLimits, schema: GraphQLSchema): { error?: GraphQLError; cost?: number } {
  const error = checkParts(request, limits);
  if (error) return { error };
  let document;
  try {
    document = parse(request.query, { noLocation: true, maxTokens: limits.tokens });
  } catch {
    // Syntax errors (and documents nested past the parser's stack) are Apollo's to report, with their code.
    return {};
  }
  const measured = measureOperation(document, schema, { operationName: request.operationName, variables: request.variables, maxDepth: limits.depth });
  // Before the cost: "ask once" tells the caller more than "too costly" does.
  const [repeated] = Object.entries(measured.repeatedOnceFields);
  if (repeated) return { error: repeatedExpensiveField(repeated[0], repeated[1]) };
  for (const limit of ["depth", "rootFields", "aliases", "directives", "cost"] as const) {
    if (measured[limit] > limits[limit]) return { error: operationLimitExceeded(limit, measured[limit], limits[limit]) };
  }
  return { cost: measured.cost };
}

/** The limits checked before parsing: variables and lexer tokens. */
function checkParts(request: GraphQLRequestParts, limits: OperationLimits): GraphQLError | undefined {
  const variables = request.variables ? Object.keys(request.variables).length : 0;
  if (variables > limits.variables) return operationLimitExceeded("variables", variables, limits.variables);
  const tokens = countTokens(request.query, limits.tokens);
  if (tokens > limits.tokens) return operationLimitExceeded("tokens", tokens, limits.tokens);
  return undefined;
}
