import { buildSchema, getVariableValues, parse, validate, OperationDefinitionNode, GraphQLError } from "graphql";
import { operationValueMessage, valueProblem, variableValueMessage } from "../../lib/schema-hiding-messages";

const schema = buildSchema(`
  enum Secret { HIDDEN_VALUE }
  input Nested { hiddenRequired: Int! }
  input Outer { hiddenName: String!, nested: Nested, kind: Secret, at: Float }
  type Query { field(outer: Outer, hiddenArg: Int!): Int }
`);

/** graphql-js's own coercion errors for a variable value, reworded as production sends them. */
function reworded(value: unknown): string[] {
  const operation = parse(`query($o: Outer) { field(outer: $o, hiddenArg: 1) }`).definitions[0] as OperationDefinitionNode;
  const { errors } = getVariableValues(schema, operation.variableDefinitions!, { o: value });
  return (errors ?? []).map((error) => variableValueMessage(error.message, (error.originalError as GraphQLError | undefined)?.message)!);
}

describe("production wording of refused input", () => {
  it("rewords each coercion problem without the schema's names", () => {
    expect(reworded({})).toEqual(['Variable "$o" got invalid value {}; a required field is missing.']);
    expect(reworded("x")).toEqual(['Variable "$o" got invalid value "x"; expected an object.']);
    expect(reworded({ hiddenName: "a", zz: 1 })).toEqual(['Variable "$o" got invalid value { hiddenName: "a", zz: 1 }; field "zz" is not accepted here.']);
    expect(reworded({ hiddenName: "a", nested: {} })).toEqual(['Variable "$o" got invalid value {} at "o.nested"; a required field is missing.']);
    expect(reworded({ hiddenName: "a", kind: "HIDDEN_VALU" })).toEqual([
      'Variable "$o" got invalid value "HIDDEN_VALU" at "o.kind"; not one of the accepted values.',
    ]);
    expect(reworded({ hiddenName: 5, at: "x" })).toEqual([
      'Variable "$o" got invalid value 5 at "o.hiddenName"; expected a string.',
      'Variable "$o" got invalid value "x" at "o.at"; expected a number.',
    ]);
    expect(reworded({ hiddenName: null })).toEqual(['Variable "$o" got invalid value null at "o.hiddenName"; must not be null.']);
  });

  it("keeps a message a service behind the gateway already reworded, and hides one it cannot split", () => {
    const done = 'Variable "$o" got invalid value {}; a required field is missing.';
    expect(variableValueMessage(done, undefined)).toBe(done);
    expect(variableValueMessage('Variable "$o" got invalid value {}; Field "hiddenName" of required type "String!" was not provided.', undefined)).toBe(
      'Variable "$o" got an invalid value; the value does not fit here.',
    );
    expect(variableValueMessage("Something else", undefined)).toBeUndefined();
  });

  it("gives unknown reasons the generic wording, not the original", () => {
    expect(valueProblem('Some future message naming "HiddenType".')).toBe("the value does not fit here");
    expect(valueProblem('Expected type "Mystery". bad')).toBe("not in the expected format");
  });

  it("rewords validation of literals and arguments the same way", () => {
    const messages = validate(schema, parse(`{ a: field(outer: {}, hiddenArg: 1) b: field(outer: { hiddenName: "x", zz: 1 }, hiddenArg: 1) c: field }`)).map(
      (error) => operationValueMessage(error.message) ?? error.message,
    );
    expect(messages).toEqual([
      "An input object is missing a required field.",
      'Field "zz" is not accepted in this input object.',
      'Field "field" is missing a required argument.',
    ]);
    for (const message of messages) expect(message).not.toMatch(/hidden|Secret|Outer|Nested|String|Int/);
  });
});
