// Production wording for refused input: say what is wrong with what the caller sent, never teach the schema.
//
// graphql-js explains a refused value in the schema's own terms: a variable or literal of the wrong shape gets one
// error per required field it lacks, each naming the field and its type, and an enum value that does not exist
// gets the enum's name. With introspection off that is still a way to read the schema out, field by field. These
// functions rewrite such messages so they name only what the caller wrote (their variable, the path into the
// value they sent, the fields they sent) and describe the value's problem in plain words. A message of a kind not
// recognised here gets the generic wording: unknown means hidden, not leaked.

/** Plain words for what a value of a built-in or custom scalar must look like (no type names). */
const SCALAR_EXPECTATIONS: Record<string, string> = {
  Int: "expected a whole number between -2147483648 and 2147483647",
  Float: "expected a number",
  String: "expected a string",
  Boolean: "expected true or false",
  ID: "expected an identifier (a string)",
  DateTime: "expected a date-time string such as 2026-05-01T10:00:00Z",
  // Not "a JSON object": JSON is also the name of a scalar of the schema (registerOperations' manifest).
  JSONObject: "expected an object of keys and values",
  Upload: "expected a file sent as a multipart upload",
};
const GENERIC_VALUE_PROBLEM = "the value does not fit here";

/**
 * The reason graphql-js gives for one refused part of a variable's value (the message of the coercion error's
 * originalError), reworded; e.g. `Field "title" of required type "String!" was not provided.` becomes
 * `a required field is missing`.
 */
export function valueProblem(reason: string): string {
  let match: RegExpMatchArray | null;
  if (/^Field "[^"]*" of required type "[^"]*" was not provided\.$/.test(reason)) return "a required field is missing";
  // The field name is the caller's own key; the type it is "not defined by" is not theirs to learn.
  if ((match = reason.match(/^Field "([^"]*)" is not defined by type "[^"]*"\./))) return `field "${match[1]}" is not accepted here`;
  if (/^Expected type "[^"]*" to be an object\.$/.test(reason)) return "expected an object";
  if (/^Expected non-nullable type "[^"]*" not to be null\.$/.test(reason)) return "must not be null";
  if (/^Exactly one key must be specified for OneOf type "[^"]*"\.$/.test(reason)) return "exactly one field must be given";
  if ((match = reason.match(/^Field "([^"]*)" must be non-null\.$/))) return `field "${match[1]}" must not be null`;
  if (/^(Value "[^"]*" does not exist in "[^"]*" enum|Enum "[^"]*" cannot represent)/.test(reason)) return "not one of the accepted values";
  // Scalars: "Int cannot represent …", "Upload value invalid.", or graphql-js's "Expected type "DateTime". …" around
  // a scalar's own error.
  if ((match = reason.match(/^(?:Expected type "(\w+)"\.|(\w+) cannot represent |(\w+) value invalid)/))) {
    return SCALAR_EXPECTATIONS[match[1] ?? match[2] ?? match[3]] ?? "not in the expected format";
  }
  return GENERIC_VALUE_PROBLEM;
}

/** Whether a reason is already in the words valueProblem uses (a service behind the gateway reworded it). */
function isReworded(reason: string): boolean {
  return (
    [
      GENERIC_VALUE_PROBLEM,
      "a required field is missing",
      "expected an object",
      "must not be null",
      "exactly one field must be given",
      "not one of the accepted values",
      "not in the expected format",
      ...Object.values(SCALAR_EXPECTATIONS),
    ].includes(reason) || /^field "[^"]*" (is not accepted here|must not be null)$/.test(reason)
  );
}

const VARIABLE_VALUE_PREFIX = /^Variable "\$\w+" got invalid value /;

/**
 * A variable-coercion message (`Variable "$x" got invalid value … at "x.path"; <reason>`), given the bare reason
 * graphql-js put in its originalError, with the reason reworded. The prefix is kept: it echoes the caller's value
 * and the path into it. Returns undefined when the message is not of that kind.
 */
export function variableValueMessage(message: string, reason: string | undefined): string | undefined {
  if (!VARIABLE_VALUE_PREFIX.test(message)) return undefined;
  if (reason !== undefined && message.endsWith(`; ${reason}`)) return `${message.slice(0, -(reason.length + 2))}; ${valueProblem(reason)}.`;
  // No reason beside the message: it came from a service behind the gateway, which applies this same rule.
  const tail = message.slice(message.lastIndexOf("; ") + 2).replace(/\.$/, "");
  if (isReworded(tail)) return message;
  // Otherwise the caller's part cannot be told from graphql-js's; keep only the variable's name.
  return `${message.match(/^Variable "\$\w+"/)![0]} got an invalid value; ${GENERIC_VALUE_PROBLEM}.`;
}

/**
 * Validation messages about values and arguments written in the operation itself, which name schema fields and
 * types the same way (`Field "CreateEntryInput.title" of required type "String!" was not provided.`). Returns
 * undefined for messages that need no rewording.
 */
export function operationValueMessage(message: string): string | undefined {
  let match: RegExpMatchArray | null;
  if (/^Field "[^"]*" of required type "[^"]*" was not provided\.$/.test(message)) return "An input object is missing a required field.";
  if ((match = message.match(/^Field "([^"]*)" is not defined by type "[^"]*"\./))) return `Field "${match[1]}" is not accepted in this input object.`;
  if ((match = message.match(/^Field "(\w+)" argument "[^"]*" of type "[^"]*" is required, but it was not provided\.$/))) {
    return `Field "${match[1]}" is missing a required argument.`;
  }
  if ((match = message.match(/^Directive "(@\w+)" argument "[^"]*" of type "[^"]*" is required, but it was not provided\.$/))) {
    return `Directive "${match[1]}" is missing a required argument.`;
  }
  if ((match = message.match(/^Variable "(\$\w+)" of type "([^"]*)" used in position expecting type "[^"]*"\.$/))) {
    return `Variable "${match[1]}" of type "${match[2]}" cannot be used in this position.`;
  }
  if ((match = message.match(/^Expected value of type "[^"]*", found (.*?)(?:; .*)?\.?$/s))) return `The value ${match[1]} does not fit here.`;
  if (/^(Value "[^"]*" does not exist in "[^"]*" enum|Enum "[^"]*" cannot represent)/.test(message)) return "The value is not one of the accepted values.";
  // A selection on a plain value, or none on an object: the return type is not the caller's to learn.
  if ((match = message.match(/^Field "(\w+)" must not have a selection since type "[^"]*" has no subfields\.$/))) {
    return `Field "${match[1]}" must not have a selection: it returns a plain value.`;
  }
  if ((match = message.match(/^Field "(\w+)" of type "[^"]*" must have a selection of subfields\./)))
    return `Field "${match[1]}" must have a selection of subfields.`;
  if (/^OneOf Input Object "[^"]*" must specify exactly one key\.$/.test(message)) return "Exactly one field of this input object must be given.";
  if ((match = message.match(/^Field "[^"]*\.(\w+)" must be non-null\.$/))) return `Field "${match[1]}" must not be null.`;
  if ((match = message.match(/^Variable "(\$\w+)" is of type "([^"]*)" but must be non-nullable to be used for OneOf Input Object "[^"]*"\.$/))) {
    return `Variable "${match[1]}" of type "${match[2]}" must be non-nullable to be used here.`;
  }
  return undefined;
}
