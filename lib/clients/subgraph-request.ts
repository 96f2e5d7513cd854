// The one way the internal clients (lib/clients/<target>.ts) call another subgraph: a typed document from
// `npm run codegen`, sent with lib/internal-client.ts's callSubgraph, and one mapping of a failed call.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { SubgraphName } from "../config";
import { codedError, ErrorCode } from "../errors";
import { callSubgraph, InternalCallError } from "../internal-client";

const printed = new WeakMap<object, string>();

/**
 * Sends `document` to `target` on behalf of `caller`. A peer that is down or refuses becomes SERVICE_UNAVAILABLE,
 * a coded error the caller can retry, never a masked crash (calls are made before anything is changed).
 */
export async function requestSubgraph<Result, Variables extends Record<string, unknown>>(
  caller: string,
  target: SubgraphName,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  let query = printed.get(document);
  if (query === undefined) printed.set(document, (query = print(document)));
  try {
    return await callSubgraph<Result>(caller, target, query, variables);
  } catch (error) {
    if (error instanceof InternalCallError) throw codedError(ErrorCode.SERVICE_UNAVAILABLE, `${error.message} Nothing was changed; try again in a moment.`);
    throw error;
  }
}
