import { isBootstrapOperation } from "../../gateway/persisted-operations/bootstrap-operations";

describe("the operations registered-only callers may always send", () => {
  it("recognises the token exchange and registering or reading one's own operations", () => {
    expect(
      isBootstrapOperation(`mutation($id: String!, $secret: String!) { issueToken(clientId: $id, clientSecret: $secret) { accessToken expiresAt } }`),
    ).toBe(true);
    expect(isBootstrapOperation(`mutation Login { issueToken(clientId: "a", clientSecret: "b") { accessToken } __typename }`)).toBe(true);
    expect(isBootstrapOperation(`mutation($m: JSON!) { registerOperations(manifest: $m) { added } }`)).toBe(true);
    expect(isBootstrapOperation(`mutation($h: [String!]!) { unregisterOperations(hashes: $h) { removed } }`)).toBe(true);
    expect(isBootstrapOperation(`{ registeredOperationSet { operations(first: 100) { edges { node { hash } } } } }`)).toBe(true);
  });

  it("refuses anything else beside or instead of them", () => {
    for (const query of [
      `mutation { issueToken(clientId: "a", clientSecret: "b") { accessToken } revokeApiClient(id: "x") { id } }`,
      `{ venues { totalCount } }`,
      `mutation { ...F } fragment F on Mutation { issueToken(clientId: "a", clientSecret: "b") { accessToken } }`,
      `mutation { issueToken(clientId: "a", clientSecret: "b") { accessToken } } query { venues { totalCount } }`,
      `mutation { issueToken(clientId: "a", clientSecret: "b") @include(if: true) { accessToken } }`,
      `mutation {`,
      `mutation { issueToken(clientId: "a", clientSecret: "b") { ${"accessToken ".repeat(400)} } }`,
    ]) {
      expect(isBootstrapOperation(query)).toBe(false);
    }
  });
});
