// Every element of the public schema (what partners see through the gateway) must carry a description they can act on.
import { GraphQLSchema, isEnumType, isInputObjectType, isInterfaceType, isIntrospectionType, isObjectType, isSpecifiedScalarType } from "graphql";
import { loadApiSchema } from "../../gateway/explorer/explorer.routes";

/** Coordinates (Type, Type.field, Type.field(arg), Enum.VALUE) of public elements whose description is missing or a stub. */
function undocumentedElements(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  // A stub ("", "id", the element's own name) helps nobody; a real description says what, who may see it, limits or errors.
  const check = (coordinate: string, name: string, description: string | null | undefined) => {
    const text = (description ?? "").trim();
    if (text.length < 8 || text.toLowerCase() === name.toLowerCase()) missing.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    // Root operation types cannot carry a description through type-graphql; their fields (checked below) are what partners call.
    const isRoot = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type as never);
    if (!isRoot) check(type.name, type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.name, field.description);
        for (const argument of "args" in field ? field.args : []) {
          check(`${type.name}.${field.name}(${argument.name}:)`, argument.name, argument.description);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.name, value.description);
    }
  }
  return missing.sort();
}

describe("public schema documentation", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await loadApiSchema();
  });

  it("hides the internal (@inaccessible) fields from the schema it checks", () => {
    expect(schema.getQueryType()!.getFields().entryFacts).toBeUndefined();
    expect(schema.getQueryType()!.getFields().venues).toBeDefined();
  });

  it("describes every type, field, argument and enum value", () => {
    const missing = undocumentedElements(schema);
    // The list names each element to document (a `description:` in the owning subgraph's decorators, then `npm run schema`).
    expect(missing).toEqual([]);
  });
});
