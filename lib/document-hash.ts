// The id of a registered operation: the SHA-256 (lowercase hex) of its exact text, as GraphQL Code Generator's client
// preset and Apollo's persisted queries compute it.
import { createHash } from "node:crypto";

export function documentHash(document: string): string {
  return createHash("sha256").update(document, "utf8").digest("hex");
}
