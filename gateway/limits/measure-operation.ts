// Measures an operation before it runs: depth, root fields, aliases, directives and an estimated cost that multiplies
// by list sizes. Fragments are expanded once each (memoised, cycles cut), and the walk stops as soon as the depth
// limit is passed, so a hostile document costs time proportional to its size, never to its expansion.
import {
  DocumentNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLArgument,
  GraphQLNamedType,
  GraphQLSchema,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  FieldNode,
  visit,
} from "graphql";
import { DEFAULT_PAGE_SIZE } from "../../lib/pagination";
import { ASSUMED_LIST_SIZE } from "../../lib/operation-limits";
import { fieldWeight } from "./field-weights";

export interface OperationMeasurement {
  /** Deepest field nesting; maxDepth + 1 when the walk stopped because it passed maxDepth. */
  depth: number;
  rootFields: number;
  aliases: number;
  directives: number;
  cost: number;
  /** Fields that may be used once per operation, with how often this operation uses them (only those above one). */
  repeatedOnceFields: Record<string, number>;
}

export interface MeasureOptions {
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  /** The walk stops below this depth (the operation is refused anyway). */
  maxDepth: number;
}

/** Numbers stay finite however many lists are nested. */
const CEILING = 1e15;
const add = (a: number, b: number) => Math.min(CEILING, a + b);
const multiply = (a: number, b: number) => Math.min(CEILING, a * b);

interface Measure {
  cost: number;
  /** Levels below the selection set's parent. */
  depth: number;
}
const NOTHING: Measure = { cost: 0, depth: 0 };

class OperationWalker {
  private readonly memo = new Map<string, Measure>();
  private readonly inProgress = new Set<string>();
  exceeded = false;
  /** Uses of once-per-operation fields, counted where they appear (fragments once per spread). */
  readonly onceFieldUses = new Map<string, number>();
  private readonly fragmentOnceUses = new Map<string, Map<string, number>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly operation: OperationDefinitionNode,
    private readonly variables: Record<string, unknown>,
    private readonly maxDepth: number,
  ) {}

  selectionSet(set: SelectionSetNode, parentType: GraphQLNamedType | undefined, pageSize: number | undefined, level: number): Measure {
    let cost = 0;
    let depth = 0;
    for (const selection of set.selections) {
      if (this.exceeded) break;
      let measure: Measure;
      if (selection.kind === Kind.FIELD) measure = this.field(selection, parentType, pageSize, level);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parentType;
        measure = this.selectionSet(selection.selectionSet, type ?? undefined, pageSize, level);
      } else measure = this.spread(selection.name.value, pageSize, level);
      cost = add(cost, measure.cost);
      depth = Math.max(depth, measure.depth);
    }
    return { cost, depth };
  }

  private field(node: FieldNode, parentType: GraphQLNamedType | undefined, pageSize: number | undefined, level: number): Measure {
    // Introspection (off in production) is not data: neither depth nor cost.
    if (node.name.value.startsWith("__")) return NOTHING;
    if (level + 1 > this.maxDepth) {
      this.exceeded = true;
      return { cost: 0, depth: 1 };
    }
    const definition = parentType && (isObjectType(parentType) || isInterfaceType(parentType)) ? parentType.getFields()[node.name.value] : undefined;
    // Expensive fields (password checks, counts, rankings) weigh what they cost, once per evaluation.
    const weighted = fieldWeight(parentType?.name, node.name.value);
    const weight = weighted?.weight ?? 0;
    if (weighted?.oncePerOperation) {
      const key = `${parentType!.name}.${node.name.value}`;
      this.onceFieldUses.set(key, (this.onceFieldUses.get(key) ?? 0) + 1);
    }
    if (!node.selectionSet) return { cost: weight, depth: 1 };
    const type = definition?.type;
    const isList = type ? isListType(isNonNullType(type) ? type.ofType : type) : false;
    const first = definition?.args.find((argument) => argument.name === "first");
    const requested = first ? this.pageSizeOf(node, first) : undefined;
    // A list inside a paginated field (a connection's edges) holds the page; a paginated list holds its own page.
    const size = isList ? (pageSize ?? requested ?? ASSUMED_LIST_SIZE) : 1;
    const children = this.selectionSet(node.selectionSet, type ? getNamedType(type) : undefined, isList ? undefined : requested, level + 1);
    return { cost: add(weight, multiply(size, add(1, children.cost))), depth: 1 + children.depth };
  }

  private spread(name: string, pageSize: number | undefined, level: number): Measure {
    const fragment = this.fragments.get(name);
    // Unknown or cyclic fragments are refused by validation; here they only must not loop.
    if (!fragment || this.inProgress.has(name)) return NOTHING;
    const key = `${name}:${pageSize ?? ""}`;
    let measure = this.memo.get(key);
    if (!measure) {
      this.inProgress.add(name);
      const before = new Map(this.onceFieldUses);
      measure = this.selectionSet(fragment.selectionSet, this.schema.getType(fragment.typeCondition.name.value) ?? undefined, pageSize, level);
      this.inProgress.delete(name);
      this.memo.set(key, measure);
      // What the fragment uses of once-per-operation fields counts again at every further spread.
      const uses = new Map<string, number>();
      for (const [field, count] of this.onceFieldUses) if (count > (before.get(field) ?? 0)) uses.set(field, count - (before.get(field) ?? 0));
      this.fragmentOnceUses.set(key, uses);
    } else {
      for (const [field, count] of this.fragmentOnceUses.get(key) ?? []) this.onceFieldUses.set(field, add(this.onceFieldUses.get(field) ?? 0, count));
    }
    if (level + measure.depth > this.maxDepth) this.exceeded = true;
    return measure;
  }

  /** The `first` a field asks for: literal, variable (or its default), the argument's default, else the default page size. */
  private pageSizeOf(node: FieldNode, argument: GraphQLArgument): number {
    const given = node.arguments?.find((item) => item.name.value === "first")?.value;
    let value: unknown = typeof argument.defaultValue === "number" ? argument.defaultValue : DEFAULT_PAGE_SIZE;
    if (given?.kind === Kind.INT) value = Number(given.value);
    else if (given?.kind === Kind.VARIABLE) {
      const name = given.name.value;
      if (this.variables[name] !== undefined && this.variables[name] !== null) value = this.variables[name];
      else {
        const fallback = this.operation.variableDefinitions?.find((item) => item.variable.name.value === name)?.defaultValue;
        if (fallback?.kind === Kind.INT) value = Number(fallback.value);
      }
    }
    // Anything but a whole number is refused when the variables are checked; count it as a default page meanwhile.
    if (typeof value !== "number" || !Number.isFinite(value) || !Number.isInteger(value)) return DEFAULT_PAGE_SIZE;
    return Math.min(CEILING, Math.max(0, value));
  }

  private readonly rootFieldMemo = new Map<string, number>();

  /** Fields at the top, fragments expanded (each fragment counted once and reused, cycles cut). */
  rootFields(set: SelectionSetNode): number {
    let count = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) count = add(count, 1);
      else if (selection.kind === Kind.INLINE_FRAGMENT) count = add(count, this.rootFields(selection.selectionSet));
      else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        if (!fragment || this.inProgress.has(name)) continue;
        let fields = this.rootFieldMemo.get(name);
        if (fields === undefined) {
          this.inProgress.add(name);
          fields = this.rootFields(fragment.selectionSet);
          this.inProgress.delete(name);
          this.rootFieldMemo.set(name, fields);
        }
        count = add(count, fields);
      }
    }
    return count;
  }
}

function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLNamedType | undefined {
  if (operation.operation === "mutation") return schema.getMutationType() ?? undefined;
  if (operation.operation === "subscription") return schema.getSubscriptionType() ?? undefined;
  return schema.getQueryType() ?? undefined;
}

/**
 * Measures the operation a request runs (`operationName`, or the only one). When that cannot be told,
 * every operation in the document is measured and the largest figures count.
 */
export function measureOperation(document: DocumentNode, schema: GraphQLSchema, options: MeasureOptions): OperationMeasurement {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  let aliases = 0;
  let directives = 0;
  visit(document, {
    Field: (node) => {
      if (node.alias) aliases += 1;
    },
    Directive: () => {
      directives += 1;
    },
  });
  const named = options.operationName ? operations.filter((operation) => operation.name?.value === options.operationName) : [];
  const measured = named.length ? named : operations;
  const result: OperationMeasurement = { depth: 0, rootFields: 0, aliases, directives, cost: 0, repeatedOnceFields: {} };
  for (const operation of measured) {
    const walker = new OperationWalker(schema, fragments, operation, options.variables ?? {}, options.maxDepth);
    const measure = walker.selectionSet(operation.selectionSet, rootTypeOf(schema, operation), undefined, 0);
    result.depth = Math.max(result.depth, walker.exceeded ? options.maxDepth + 1 : measure.depth);
    result.cost = Math.max(result.cost, measure.cost);
    result.rootFields = Math.max(result.rootFields, walker.rootFields(operation.selectionSet));
    for (const [field, uses] of walker.onceFieldUses) if (uses > 1) result.repeatedOnceFields[field] = Math.max(result.repeatedOnceFields[field] ?? 0, uses);
  }
  return result;
}
