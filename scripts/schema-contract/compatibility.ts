// The schema change check against real use: diffs the API schema against the last released one (graphql-inspector)
// and lets a breaking change through only when no known operation (registered by a client, in the guides'
// docs/operations, or in the example clients) uses what it changes, and what it changes was deprecated with a
// removal date that has passed and was announced at least the policy's notice period ahead (docs/deprecation-policy.md).
import { Change, CriticalityLevel, diff } from "@graphql-inspector/core";
import { DocumentNode, GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema, parse, validate } from "graphql";
import { usedCoordinates } from "../../lib/operation-coordinates";

/** The policy's minimum time between a deprecation's release and the removal date it announces. */
export const DEPRECATION_NOTICE_DAYS = 90;
const REMOVAL_DATE = /Removal after (\d{4}-\d{2}-\d{2})/i;
const DAY_MS = 86_400_000;

export interface CheckedOperation {
  /** Where it comes from: a file path, or "registered:<hash>". */
  source: string;
  /** Who would break: the API client (clientId and name), "public safelist", "docs" or the example client. */
  client: string;
  name: string;
  document: string;
}

export interface Release {
  /** The release's name: its date, YYYY-MM-DD (with a -N suffix for a second release that day). */
  version: string;
  date: Date;
  schema: GraphQLSchema;
  /** Set when the release was recorded with breaking changes the check refused, and why they were accepted. */
  acceptedBreaking?: string;
}

export interface OperationRef {
  source: string;
  client: string;
  name: string;
}

export interface BreakingFinding {
  type: string;
  coordinate: string;
  message: string;
  allowed: boolean;
  /** Why it is refused (empty when allowed). */
  problems: string[];
  /** The operations it would break. */
  operations: OperationRef[];
}

export interface CompatibilityReport {
  baseline: string | undefined;
  breaking: BreakingFinding[];
  dangerous: string[];
  safe: string[];
  /** Operations valid against the released schema that no longer validate, with the first error. */
  invalidated: (OperationRef & { error: string })[];
  passed: boolean;
}

/**
 * The changes worth telling partners about: graphql-inspector also reports each @deprecated as a directive usage
 * (and its reason argument) added or removed, which repeats the deprecation change itself.
 */
export async function schemaChanges(before: GraphQLSchema, after: GraphQLSchema): Promise<Change[]> {
  return (await diff(before, after)).filter((change) => !change.type.startsWith("DIRECTIVE_USAGE_"));
}

/** "Type.field.argument" (inspector's path) → "Type.field(argument:)" (lib/operation-coordinates' form). */
function coordinateOf(path: string): string {
  const parts = path.split(".");
  return parts.length === 3 ? `${parts[0]}.${parts[1]}(${parts[2]}:)` : path;
}

/** The deprecation reason of the field, argument, enum value or input field at an inspector path, if any. */
export function deprecationAt(schema: GraphQLSchema, path: string): string | undefined {
  const [typeName, member, argument] = path.split(".");
  const type = schema.getType(typeName);
  if (!member || !type) return undefined;
  if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType) {
    const field = type.getFields()[member];
    if (!field) return undefined;
    if (argument) return field.args.find((arg) => arg.name === argument)?.deprecationReason ?? field.deprecationReason ?? undefined;
    return field.deprecationReason ?? undefined;
  }
  if (type instanceof GraphQLEnumType) return type.getValue(member)?.deprecationReason ?? undefined;
  if (type instanceof GraphQLInputObjectType) return type.getFields()[member]?.deprecationReason ?? undefined;
  return undefined;
}

/** The date of the earliest release of the unbroken run (ending with the last) in which the path is deprecated. */
function deprecatedSince(releases: Release[], path: string): Date | undefined {
  let since: Date | undefined;
  for (let index = releases.length - 1; index >= 0 && deprecationAt(releases[index].schema, path) !== undefined; index -= 1) since = releases[index].date;
  return since;
}

/** Why removing or changing `path` is not yet allowed by the deprecation policy (empty when it is). */
function deprecationProblems(releases: Release[], path: string, today: Date, noticeDays: number): string[] {
  const last = releases[releases.length - 1].schema;
  const reason = deprecationAt(last, path);
  if (reason === undefined) return [`${path} was not deprecated in the last released schema.`];
  const removal = REMOVAL_DATE.exec(reason)?.[1];
  if (!removal) return [`${path} is deprecated without a removal date ("Removal after YYYY-MM-DD" in the reason).`];
  const removalDate = new Date(`${removal}T00:00:00Z`);
  const problems: string[] = [];
  if (removalDate.getTime() > today.getTime()) problems.push(`${path} may be removed after ${removal} only.`);
  const since = deprecatedSince(releases, path)!;
  const notice = Math.floor((removalDate.getTime() - since.getTime()) / DAY_MS);
  if (notice < noticeDays)
    problems.push(`${path} was deprecated on ${since.toISOString().slice(0, 10)}, ${notice} days before its removal date; the policy asks for ${noticeDays}.`);
  return problems;
}

interface PreparedOperation extends OperationRef {
  document: DocumentNode | undefined;
  coordinates: Set<string>;
  validBefore: boolean;
  validNow: boolean;
  firstError: string;
}

function prepare(operation: CheckedOperation, released: GraphQLSchema, current: GraphQLSchema): PreparedOperation {
  const ref = { source: operation.source, client: operation.client, name: operation.name };
  let document: DocumentNode;
  try {
    document = parse(operation.document);
  } catch (error) {
    return { ...ref, document: undefined, coordinates: new Set(), validBefore: false, validNow: false, firstError: (error as Error).message };
  }
  const before = validate(released, document, undefined, { maxErrors: 1 });
  const now = validate(current, document, undefined, { maxErrors: 1 });
  return {
    ...ref,
    document,
    coordinates: new Set(usedCoordinates(released, document).map((used) => used.coordinate)),
    validBefore: before.length === 0,
    validNow: now.length === 0,
    firstError: now[0]?.message ?? before[0]?.message ?? "",
  };
}

/** Operations a breaking change at `path` touches: they use it (or, for an argument, its field, or a removed type). */
function touching(operations: PreparedOperation[], change: Change): PreparedOperation[] {
  const path = change.path ?? "";
  const coordinate = coordinateOf(path);
  const parts = path.split(".");
  return operations.filter((operation) => {
    if (operation.coordinates.has(coordinate)) return true;
    // A new required argument or a changed argument breaks callers of the field who do not pass it too.
    if (parts.length === 3 && operation.coordinates.has(`${parts[0]}.${parts[1]}`) && !operation.validNow) return true;
    // A removed or changed type: anything that reads its members.
    if (parts.length === 1 && [...operation.coordinates].some((used) => used.startsWith(`${path}.`))) return true;
    return false;
  });
}

export async function checkCompatibility(input: {
  releases: Release[];
  current: GraphQLSchema;
  operations: CheckedOperation[];
  today: Date;
  noticeDays?: number;
}): Promise<CompatibilityReport> {
  const noticeDays = input.noticeDays ?? DEPRECATION_NOTICE_DAYS;
  if (input.releases.length === 0) return { baseline: undefined, breaking: [], dangerous: [], safe: [], invalidated: [], passed: true };
  const released = input.releases[input.releases.length - 1];
  const changes = await schemaChanges(released.schema, input.current);
  const operations = input.operations.map((operation) => prepare(operation, released.schema, input.current));
  const ref = ({ source, client, name }: PreparedOperation): OperationRef => ({ source, client, name });

  const breaking = changes
    .filter((change) => change.criticality.level === CriticalityLevel.Breaking)
    .map((change): BreakingFinding => {
      const path = change.path ?? "";
      const broken = touching(operations, change);
      const problems = broken.length ? [`${broken.length} known operation(s) use it.`] : [];
      // A removed type cannot carry @deprecated: what led to it (fields, arguments) is checked on its own.
      if (change.type !== "TYPE_REMOVED") problems.push(...deprecationProblems(input.releases, path, input.today, noticeDays));
      return {
        type: change.type,
        coordinate: coordinateOf(path),
        message: change.message,
        allowed: problems.length === 0,
        problems,
        operations: broken.map(ref),
      };
    });
  const invalidated = operations
    .filter((operation) => operation.validBefore && !operation.validNow)
    .map((operation) => ({ ...ref(operation), error: operation.firstError }));
  return {
    baseline: released.version,
    breaking,
    dangerous: changes.filter((change) => change.criticality.level === CriticalityLevel.Dangerous).map((change) => change.message),
    safe: changes.filter((change) => change.criticality.level === CriticalityLevel.NonBreaking).map((change) => change.message),
    invalidated,
    passed: breaking.every((finding) => finding.allowed) && invalidated.length === 0,
  };
}

/** The report as a reviewer reads it: each breaking change, why it is refused, and whom it would break. */
export function formatReport(report: CompatibilityReport): string {
  if (!report.baseline) return "No released schema yet (schema/released/ is empty): run `npm run schema:release` to record the first one.\n";
  const lines = [
    `Compared with the released schema ${report.baseline}: ${report.breaking.length} breaking, ${report.dangerous.length} dangerous, ${report.safe.length} safe change(s).`,
  ];
  for (const finding of report.breaking) {
    lines.push(`${finding.allowed ? "  allowed " : "  REFUSED "} ${finding.message} [${finding.coordinate}]`);
    for (const problem of finding.problems) lines.push(`      - ${problem}`);
    for (const operation of finding.operations) lines.push(`      breaks ${operation.name} (${operation.client}; ${operation.source})`);
  }
  if (report.invalidated.length) {
    lines.push("  Operations that no longer validate:");
    for (const operation of report.invalidated) lines.push(`      ${operation.name} (${operation.client}; ${operation.source}): ${operation.error}`);
  }
  for (const message of report.dangerous) lines.push(`  dangerous: ${message}`);
  lines.push(report.passed ? "Schema change check passed." : "Schema change check FAILED: see docs/deprecation-policy.md.");
  return `${lines.join("\n")}\n`;
}
