// Where each input type of a schema can be sent, and values that fit a type: for tests generated from the schema,
// so a new input type or field is covered without anyone listing it.
import {
  GraphQLArgument,
  GraphQLField,
  GraphQLInputField,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
} from "graphql";

/** A position of an input type: root field → argument → input fields (each may be a list: one value stands for a list of one). */
export interface InputPosition {
  operation: "query" | "mutation";
  field: GraphQLField<unknown, unknown>;
  argument: GraphQLArgument;
  steps: GraphQLInputField[];
  type: GraphQLInputObjectType;
}

/** The first (shallowest) position of every input type reachable from a root field; types reachable from none are left out. */
export function inputPositions(schema: GraphQLSchema): Map<string, InputPosition> {
  const positions = new Map<string, InputPosition>();
  const queue: InputPosition[] = [];
  for (const [operation, root] of [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      if (!canSendOtherArguments(field)) continue;
      for (const argument of field.args) {
        const named = getNamedType(argument.type);
        if (isInputObjectType(named)) queue.push({ operation, field, argument, steps: [], type: named });
      }
    }
  }
  while (queue.length > 0) {
    const position = queue.shift()!;
    if (positions.has(position.type.name)) continue;
    positions.set(position.type.name, position);
    for (const inner of Object.values(position.type.getFields())) {
      const named = getNamedType(inner.type);
      if (isInputObjectType(named)) queue.push({ ...position, steps: [...position.steps, inner], type: named });
    }
  }
  return positions;
}

/** Every input type of the schema, by name. */
export function inputTypes(schema: GraphQLSchema): GraphQLInputObjectType[] {
  return Object.values(schema.getTypeMap()).filter((type): type is GraphQLInputObjectType => isInputObjectType(type) && !type.name.startsWith("__"));
}

/** A value that fits the type (required fields only), or undefined for types a JSON request cannot carry (Upload). */
export function validValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return validValue(type.ofType);
  if (isListType(type)) {
    const item = validValue(type.ofType);
    return item === undefined ? undefined : [item];
  }
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (!isNonNullType(field.type) || field.defaultValue !== undefined) continue;
      const inner = validValue(field.type);
      if (inner === undefined) return undefined;
      value[field.name] = inner;
    }
    return value;
  }
  return SCALAR_SAMPLES[(type as GraphQLNamedType).name];
}
const SCALAR_SAMPLES: Record<string, unknown> = {
  ID: "00000000-0000-4000-8000-000000000000",
  String: "x",
  Int: 1,
  Float: 1,
  Boolean: true,
  DateTime: "2026-05-01T10:00:00Z",
  JSONObject: {},
};

/** Whether every required argument of the field can be given a value in JSON (no file uploads). */
function canSendOtherArguments(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.every((argument) => !isNonNullType(argument.type) || validValue(argument.type) !== undefined);
}

/**
 * An operation calling the position's root field with `$value` in the argument, and every other required argument
 * filled from validValue as a variable of its own. `value` is what to send for the input type at the position.
 */
export function operationAt(position: InputPosition, value: unknown): { query: string; variables: Record<string, unknown> } {
  let wrapped = value;
  for (const step of [...position.steps].reverse()) wrapped = { [step.name]: wrapped };
  return operationWith(position.operation, position.field, position.argument, wrapped);
}

/** An operation calling the root field with `$value` as the whole argument and the other required arguments filled. */
export function operationWith(
  operation: "query" | "mutation",
  field: GraphQLField<unknown, unknown>,
  argument: GraphQLArgument,
  value: unknown,
): { query: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = { value };
  const definitions = [`$value: ${argument.type}`];
  const passed = [`${argument.name}: $value`];
  for (const other of field.args) {
    if (other === argument || !isNonNullType(other.type)) continue;
    variables[other.name] = validValue(other.type);
    definitions.push(`$${other.name}: ${other.type}`);
    passed.push(`${other.name}: $${other.name}`);
  }
  const selection = isLeafType(getNamedType(field.type)) ? "" : " { __typename }";
  return { query: `${operation}(${definitions.join(", ")}) { ${field.name}(${passed.join(", ")})${selection} }`, variables };
}

/** Names a caller learns from a schema: types, fields, arguments, input fields and enum values (introspection types aside). */
export function schemaNames(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    names.add(type.name);
    if (isEnumType(type)) for (const value of type.getValues()) names.add(value.name);
    if (type instanceof GraphQLObjectType || isInputObjectType(type) || "getFields" in type) {
      for (const field of Object.values((type as GraphQLInputObjectType).getFields())) {
        names.add(field.name);
        for (const argument of (field as unknown as GraphQLField<unknown, unknown>).args ?? []) names.add(argument.name);
      }
    }
  }
  return names;
}

/** Every key and string of a JSON value, and every name in an operation's text: what a caller has written. */
export function namesWritten(query: string, variables: unknown): Set<string> {
  const names = new Set(query.match(/[A-Za-z_]\w*/g) ?? []);
  const visit = (value: unknown) => {
    if (typeof value === "string") for (const word of value.match(/[A-Za-z_]\w*/g) ?? []) names.add(word);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        names.add(key);
        visit(inner);
      }
    }
  };
  visit(variables);
  return names;
}
