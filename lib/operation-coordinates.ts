// The schema coordinates (Type.field, Type.field(argument:), Enum.VALUE, Input.field) an operation document uses,
// each with its deprecation reason. The gateway counts the deprecated ones per client; the schema check uses all of
// them to name the operations a breaking change touches.
import { DocumentNode, getNamedType, GraphQLEnumType, GraphQLInputObjectType, GraphQLSchema, TypeInfo, visit, visitWithTypeInfo } from "graphql";

export interface UsedCoordinate {
  /** e.g. "Venue.city", "Query.venues(first:)", "ImageSize.ORIGINAL", "VenueFilter.region". */
  coordinate: string;
  /** Set when the schema marks that field, argument, enum value or input field @deprecated. */
  deprecationReason?: string;
}

/** Every coordinate the document selects or passes as a literal, once each, in first-use order. */
export function usedCoordinates(schema: GraphQLSchema, document: DocumentNode): UsedCoordinate[] {
  const found = new Map<string, UsedCoordinate>();
  const add = (coordinate: string, deprecationReason: string | null | undefined) => {
    if (!found.has(coordinate)) found.set(coordinate, deprecationReason ? { coordinate, deprecationReason } : { coordinate });
  };
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field && !node.name.value.startsWith("__")) add(`${parent.name}.${field.name}`, field.deprecationReason);
      },
      Argument() {
        const argument = typeInfo.getArgument();
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (argument && parent && field) add(`${parent.name}.${field.name}(${argument.name}:)`, argument.deprecationReason);
      },
      ObjectField(node) {
        // TypeInfo has entered the field: its parent input type is the one before it.
        const parentType = typeInfo.getParentInputType();
        const named = parentType ? getNamedType(parentType) : undefined;
        if (named instanceof GraphQLInputObjectType) {
          const field = named.getFields()[node.name.value];
          if (field) add(`${named.name}.${field.name}`, field.deprecationReason);
        }
      },
      EnumValue(node) {
        const inputType = typeInfo.getInputType();
        const named = inputType ? getNamedType(inputType) : undefined;
        if (named instanceof GraphQLEnumType) {
          const value = named.getValue(node.value);
          if (value) add(`${named.name}.${value.name}`, value.deprecationReason);
        }
      },
    }),
  );
  return [...found.values()];
}

/** The deprecated coordinates among those a document uses. */
export function deprecatedCoordinates(schema: GraphQLSchema, document: DocumentNode): string[] {
  return usedCoordinates(schema, document)
    .filter((used) => used.deprecationReason !== undefined)
    .map((used) => used.coordinate);
}
