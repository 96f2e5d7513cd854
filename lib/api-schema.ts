// The API schema partners see (the supergraph without its federation machinery and @inaccessible parts), built from
// supergraph SDL: the venues subgraph validates registered operations against it, the schema check diffs it.
import fs from "node:fs";
import type { GraphQLSchema } from "graphql";
import { Supergraph } from "@apollo/federation-internals";
import { SUPERGRAPH_PATH } from "./paths";

export function apiSchemaFromSupergraph(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

let checkedIn: GraphQLSchema | undefined;

/** The API schema of the checked-in supergraph, built once per process. */
export function checkedInApiSchema(): GraphQLSchema {
  return (checkedIn ??= apiSchemaFromSupergraph(fs.readFileSync(SUPERGRAPH_PATH, "utf8")));
}
