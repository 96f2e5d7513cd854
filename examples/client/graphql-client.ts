// A typed GraphQL call in a dozen lines: pass a document from generated.ts, get its result type back.
// Partners can copy this file and generated.ts (or run the same codegen on their own operations).
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

export class GraphqlError extends Error {
  constructor(readonly errors: { message: string; extensions?: { code?: string } }[]) {
    super(errors.map((error) => `${error.extensions?.code ?? "ERROR"}: ${error.message}`).join("; "));
  }
}

/** Sends one operation to the gateway; throws GraphqlError when the response carries errors. */
export async function request<Result, Variables>(
  url: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  token?: string,
): Promise<Result> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: GraphqlError["errors"] };
  if (body.errors?.length || !body.data) throw new GraphqlError(body.errors ?? [{ message: `HTTP ${response.status}` }]);
  return body.data;
}
