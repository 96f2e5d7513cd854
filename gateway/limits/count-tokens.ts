// Counts a document's lexer tokens without parsing it, and stops early: a 1 MB query is refused after reading
// only as many tokens as the limit allows, before the parser, validation or the query planner see it.
import { Lexer, Source, TokenKind } from "graphql";

/** Tokens in `query`, up to `stopAfter + 1`; a lexing error ends the count (the parser reports it with a code). */
export function countTokens(query: string, stopAfter: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= stopAfter && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A syntax error: what was counted so far stands.
  }
  return count;
}
