// Every String a caller sends to any subgraph, checked in one place before any resolver runs.
//
// Checks written path by path get forgotten on the next path; this wraps every field of a subgraph's schema that
// takes text (a String argument, or an input object holding String fields at any depth) so its arguments are
// checked before its resolver runs. Refused: the characters lib/text.ts forbids, with BAD_USER_INPUT naming the
// argument's path (`input.entrant.name`). Accepted text is NFC-normalised, so a name typed with a combining accent
// and one typed precomposed are stored, compared and exported alike.
import {
  defaultFieldResolver,
  getNamedType,
  GraphQLArgument,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  GraphQLString,
} from "graphql";
import { badInput } from "./errors";
import { forbiddenCharacterIn, MULTILINE_TEXT_NAMES } from "./text";

/** Wraps, in place, the resolver of every field that takes text; returns the schema. */
export function guardFreeText(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const textual = field.args.filter((argument) => holdsText(argument.type, new Set()));
      if (textual.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => resolve(source, checkedArguments(args, textual), context, info);
    }
  }
  return schema;
}

function holdsText(type: GraphQLInputType, seen: Set<string>): boolean {
  const named = getNamedType(type);
  if (named === GraphQLString) return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((field) => holdsText(field.type, seen));
}

function checkedArguments(args: Record<string, unknown>, textual: GraphQLArgument[]): Record<string, unknown> {
  const checked = { ...args };
  for (const argument of textual) {
    if (checked[argument.name] !== undefined) checked[argument.name] = checkedValue(checked[argument.name], argument.type, argument.name, argument.name);
  }
  return checked;
}

function checkedValue(value: unknown, type: GraphQLInputType, path: string, name: string): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return checkedValue(value, type.ofType, path, name);
  if (isListType(type)) return (value as unknown[]).map((item, index) => checkedValue(item, type.ofType, `${path}[${index}]`, name));
  if (type === GraphQLString) {
    const text = value as string;
    const forbidden = forbiddenCharacterIn(text, MULTILINE_TEXT_NAMES.has(name));
    if (forbidden) {
      throw badInput(`${path} must not contain invisible, bidirectional or control characters (${forbidden}).`, { argument: path });
    }
    return text.normalize("NFC");
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const checked: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, inner] of Object.entries(checked)) {
      if (fields[key]) checked[key] = checkedValue(inner, fields[key].type, `${path}.${key}`, key);
    }
    return checked;
  }
  return value;
}
