// What a registered-only caller may always send as text: exchanging credentials for a token (issueToken), and
// registering, unregistering and reading its own operations. Without them no client could obtain the token that names it, nor
// register the operations it will then be held to. Operation limits and the subgraphs' role checks still apply.
import { Kind, parse } from "graphql";

const BOOTSTRAP_ROOT_FIELDS = new Set(["issueToken", "registerOperations", "unregisterOperations", "registeredOperationSet", "__typename"]);

/** True when every operation in the document selects only bootstrap root fields, without fragments or directives. */
export function isBootstrapOperation(query: string): boolean {
  let document;
  try {
    // A bootstrap request is small; anything far larger is not one (and is not worth parsing here).
    document = parse(query, { maxTokens: 300, noLocation: true });
  } catch {
    return false;
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== document.definitions.length || operations.length === 0) return false;
  return operations.every(
    (operation) =>
      operation.kind === Kind.OPERATION_DEFINITION &&
      operation.operation !== "subscription" &&
      operation.selectionSet.selections.every(
        (selection) => selection.kind === Kind.FIELD && BOOTSTRAP_ROOT_FIELDS.has(selection.name.value) && !selection.directives?.length,
      ),
  );
}
