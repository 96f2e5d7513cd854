// Turns type-graphql resolver classes into an Apollo Federation 2 subgraph schema.
import { GraphQLSchema, parse } from "graphql";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { buildSchema, createResolversMap, NonEmptyArray } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { guardFreeText } from "./free-text-guard";
import { CACHE_CONTROL_DEFINITIONS, CACHE_CONTROL_SPEC_URL } from "./cache-hints";

// @cacheControl comes from its own @link and is composed into the supergraph, where the gateway reads the hints.
const FEDERATION_LINK = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@inaccessible", "@external", "@requires", "@composeDirective"])
  @link(url: "${CACHE_CONTROL_SPEC_URL}", import: ["@cacheControl"])
  @composeDirective(name: "@cacheControl")
${CACHE_CONTROL_DEFINITIONS}`;

export interface SubgraphSchemaOptions {
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  /** `{ TypeName: { __resolveReference } }` for each entity this subgraph resolves. */
  referenceResolvers?: GraphQLResolverMap<unknown>;
}

/** Builds the type-graphql schema, prints it with its federation directives, and rebuilds it as a subgraph. */
export async function buildTypeGraphqlSubgraph(options: SubgraphSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
    skipCheck: true,
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, typeResolvers] of Object.entries(options.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(typeResolvers as object) } as never;
  }
  return guardFreeText(buildSubgraphSchema([{ typeDefs, resolvers }]));
}
