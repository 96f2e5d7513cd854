// How long a public answer may be cached, and which types it shows: one walk of the operation against the API schema,
// with the @cacheControl hints the subgraphs declared (read from the supergraph: the API schema drops them). The rules
// are Apollo's cache-control rules, applied to the document instead of to each resolved field: a root field, or a field
// returning an object, interface or union, without a hint on the field or on its type makes the answer uncacheable; a
// scalar field without a hint takes its parent's; the answer lives as long as its shortest-lived field.
import {
  ConstDirectiveNode,
  DocumentNode,
  getNamedType,
  GraphQLCompositeType,
  GraphQLSchema,
  isAbstractType,
  isCompositeType,
  isUnionType,
  Kind,
  OperationDefinitionNode,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";

export type CacheScope = "PUBLIC" | "PRIVATE";

export interface CacheHint {
  maxAge?: number;
  scope?: CacheScope;
  inheritMaxAge?: boolean;
}

/** The hints of a supergraph: by type name, and by "Type.field". */
export interface CacheHints {
  types: Map<string, CacheHint>;
  fields: Map<string, CacheHint>;
}

export interface OperationCacheFacts {
  /** Seconds the answer may be kept; 0: never. */
  maxAge: number;
  scope: CacheScope;
  /** Every object, interface and union type the answer may contain (abstract types with all their possible types). */
  typenames: string[];
}

function hintOf(directives: readonly ConstDirectiveNode[] | undefined): CacheHint | undefined {
  const directive = directives?.find((candidate) => candidate.name.value === "cacheControl");
  if (!directive) return undefined;
  const hint: CacheHint = {};
  for (const argument of directive.arguments ?? []) {
    const { value } = argument;
    if (argument.name.value === "maxAge" && value.kind === Kind.INT) hint.maxAge = Number(value.value);
    if (argument.name.value === "scope" && value.kind === Kind.ENUM) hint.scope = value.value as CacheScope;
    if (argument.name.value === "inheritMaxAge" && value.kind === Kind.BOOLEAN) hint.inheritMaxAge = value.value;
  }
  return hint;
}

/** Reads every @cacheControl of a supergraph (on object, interface and union types and on their fields). */
export function readCacheHints(supergraphSdl: string): CacheHints {
  const hints: CacheHints = { types: new Map(), fields: new Map() };
  for (const definition of parse(supergraphSdl, { noLocation: true }).definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.UNION_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    const typeHint = hintOf(definition.directives);
    if (typeHint) hints.types.set(definition.name.value, typeHint);
    if (definition.kind === Kind.UNION_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      const fieldHint = hintOf(field.directives);
      if (fieldHint) hints.fields.set(`${definition.name.value}.${field.name.value}`, fieldHint);
    }
  }
  return hints;
}

/** The properties `from` sets override those of `into` (Apollo's CachePolicy.replace). */
function replace(into: CacheHint, from: CacheHint): void {
  if (from.maxAge !== undefined) into.maxAge = from.maxAge;
  if (from.scope !== undefined) into.scope = from.scope;
}

function analyse(schema: GraphQLSchema, hints: CacheHints, document: DocumentNode, operation: OperationDefinitionNode): OperationCacheFacts {
  const rootTypes = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  const typenames = new Set<string>();
  let maxAge = Number.POSITIVE_INFINITY;
  let scope: CacheScope = "PUBLIC";
  // A type with its possible types, and what a wrapper (a connection, an edge: a type that inherits its lifetime) holds,
  // so `exhibitions { totalCount }` is tagged Exhibition: its count changes with exhibitions.
  const tag = (type: GraphQLCompositeType): void => {
    if (typenames.has(type.name)) return;
    typenames.add(type.name);
    if (isAbstractType(type)) for (const possible of schema.getPossibleTypes(type)) tag(possible);
    if (hints.types.get(type.name)?.inheritMaxAge && !isUnionType(type)) {
      for (const field of Object.values(type.getFields())) {
        const held = getNamedType(field.type);
        if (isCompositeType(held)) tag(held);
      }
    }
  };
  const typeInfo = new TypeInfo(schema);
  // The chosen operation and every fragment (a fragment it does not spread only makes the answer shorter-lived).
  const definitions = document.definitions.filter((definition) => definition === operation || definition.kind === Kind.FRAGMENT_DEFINITION);
  visit(
    { kind: Kind.DOCUMENT, definitions },
    visitWithTypeInfo(typeInfo, {
      Field() {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!field || !parent) return;
        if (!rootTypes.has(parent as never)) tag(parent);
        const target = getNamedType(field.type);
        const composite = isCompositeType(target);
        const hint: CacheHint = {};
        let inherits = false;
        if (composite) {
          tag(target);
          const typeHint = hints.types.get(target.name);
          if (typeHint?.inheritMaxAge) inherits = true;
          else if (typeHint) replace(hint, typeHint);
        }
        const fieldHint = hints.fields.get(`${parent.name}.${field.name}`);
        if (fieldHint?.inheritMaxAge) inherits ||= composite;
        else if (fieldHint) replace(hint, fieldHint);
        if (hint.maxAge === undefined && ((composite && !inherits) || rootTypes.has(parent as never))) hint.maxAge = 0;
        if (hint.maxAge !== undefined) maxAge = Math.min(maxAge, hint.maxAge);
        if (hint.scope === "PRIVATE") scope = "PRIVATE";
      },
    }),
  );
  return { maxAge: Number.isFinite(maxAge) ? maxAge : 0, scope, typenames: [...typenames].sort() };
}

const memo = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, OperationCacheFacts>>>();

/** The facts of one operation of a validated document, computed once per schema, document and operation name. */
export function operationCacheFacts(schema: GraphQLSchema, hints: CacheHints, document: DocumentNode, operation: OperationDefinitionNode): OperationCacheFacts {
  let byDocument = memo.get(schema);
  if (!byDocument) memo.set(schema, (byDocument = new WeakMap()));
  let byOperation = byDocument.get(document);
  if (!byOperation) byDocument.set(document, (byOperation = new Map()));
  const name = operation.name?.value ?? "";
  let facts = byOperation.get(name);
  if (!facts) byOperation.set(name, (facts = analyse(schema, hints, document, operation)));
  return facts;
}
