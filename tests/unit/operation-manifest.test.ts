import { buildSchema, GraphQLError } from "graphql";
import { documentHash } from "../../lib/document-hash";
import { readOperationManifest } from "../../subgraphs/venues/registered-operation/operation-manifest";

const schema = buildSchema(`type Query { venue(id: ID!): Venue } type Venue { id: ID! code: String! }`);
const good = `query Venue($id: ID!) { venue(id: $id) { id code } }`;

function problemsOf(manifest: unknown): { hash: string; problem: string }[] {
  try {
    readOperationManifest(manifest, schema);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
    return ((error as GraphQLError).extensions.problems as { hash: string; problem: string }[]) ?? [];
  }
  throw new Error("expected the manifest to be refused");
}

describe("persisted-documents manifest", () => {
  it("accepts the client preset's format and names each document's operations", () => {
    expect(readOperationManifest({ [documentHash(good)]: good }, schema)).toEqual([{ hash: documentHash(good), document: good, operationNames: ["Venue"] }]);
  });

  it("refuses a hash that is not the document's SHA-256", () => {
    expect(problemsOf({ [documentHash(good + " ")]: good })).toEqual([expect.objectContaining({ problem: "HASH_MISMATCH" })]);
  });

  it("refuses keys that are not hashes and values that are not text", () => {
    expect(problemsOf({ abc: good }).map((problem) => problem.problem)).toEqual(["MALFORMED_HASH"]);
    expect(problemsOf({ [documentHash(good)]: 42 }).map((problem) => problem.problem)).toEqual(["NOT_TEXT"]);
  });

  it("refuses documents that do not parse, define no operation, or do not validate against the schema", () => {
    const broken = "query {";
    const fragmentOnly = "fragment F on Venue { id }";
    const invalid = `{ venue(id: "1") { name } }`;
    const problems = problemsOf({
      [documentHash(broken)]: broken,
      [documentHash(fragmentOnly)]: fragmentOnly,
      [documentHash(invalid)]: invalid,
      [documentHash(good)]: good,
    });
    expect(problems.map((problem) => problem.problem)).toEqual(["PARSE_FAILED", "NO_OPERATION", "VALIDATION_FAILED"]);
  });

  it("refuses what is not a manifest object, or an empty one", () => {
    for (const manifest of [null, [], "x", {}]) expect(problemsOf(manifest)).toEqual([]);
  });
});
