// The response cache's policy comes from the subgraphs' @cacheControl hints as composed into the checked-in supergraph:
// these tests read that file, so a hint lost in composition, or a public page that stops being cacheable, fails here.
import fs from "node:fs";
import { parse, OperationDefinitionNode } from "graphql";
import { Supergraph } from "@apollo/federation-internals";
import { SUPERGRAPH_PATH } from "../../lib/paths";
import { PUBLIC_MAX_AGE_SECONDS } from "../../lib/cache-hints";
import { operationCacheFacts, readCacheHints } from "../../gateway/response-cache/cache-policy";

const supergraphSdl = fs.readFileSync(SUPERGRAPH_PATH, "utf8");
const apiSchema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
const hints = readCacheHints(supergraphSdl);

function facts(query: string) {
  const document = parse(query);
  return operationCacheFacts(apiSchema, hints, document, document.definitions[0] as OperationDefinitionNode);
}

const PUBLIC_PAGE = `query Q1($slug: String!) { exhibition(slug: $slug) { works(first: 100) { edges { node { entry { id title creditName country venue { code name } awards { tier theme } } } } } } }`;

describe("cache policy of an operation", () => {
  it("keeps the public exhibition page for the public lifetime, tagged with every type it shows", () => {
    const page = facts(PUBLIC_PAGE);
    expect(page.maxAge).toBe(PUBLIC_MAX_AGE_SECONDS);
    expect(page.scope).toBe("PUBLIC");
    expect(page.typenames).toEqual(
      expect.arrayContaining(["Award", "Entry", "ExhibitedWork", "ExhibitedWorkConnection", "ExhibitedWorkEdge", "Exhibition", "Venue"]),
    );
    expect(page.typenames).not.toContain("Query");
  });

  it("lets likes and views shorten the page's life, and never keeps a visitor's own like", () => {
    expect(facts(`{ exhibitions(first: 5) { edges { node { title works(first: 3) { edges { node { likeCount } } } } } } }`).maxAge).toBe(5);
    expect(facts(`query($id: ID!) { exhibitedWork(id: $id) { viewCount position } }`).maxAge).toBe(5);
    expect(facts(`query($id: ID!) { exhibitedWork(id: $id) { position likedBy(visitorId: "v") } }`).maxAge).toBe(0);
  });

  it("never caches a field or type without a hint: root fields, objects, and what hinted types lead to", () => {
    expect(facts(`{ apiClients { id } }`).maxAge).toBe(0);
    expect(facts(`query($id: ID!) { entry(id: $id) { id entrant { name } } }`).maxAge).toBe(0);
    expect(facts(`query($id: ID!) { entry(id: $id) { id scores { value } } }`).maxAge).toBe(0);
    // A connection inherits its holder's lifetime: a hinted root field gives it one, an unhinted one none.
    expect(facts(`{ exhibitions(first: 1) { totalCount pageInfo { hasNextPage } } }`).maxAge).toBe(PUBLIC_MAX_AGE_SECONDS);
    expect(facts(`{ venues(first: 1) { totalCount } }`).maxAge).toBe(0);
  });

  it("tags a page of a connection with the type it lists, so a count goes with its items", () => {
    expect(facts(`{ exhibitions(first: 1) { totalCount } }`).typenames).toEqual(
      expect.arrayContaining(["Exhibition", "ExhibitionConnection", "ExhibitionEdge", "PageInfo"]),
    );
    expect(facts(`query($slug: String!) { exhibition(slug: $slug) { works(first: 1) { totalCount } } }`).typenames).toContain("ExhibitedWork");
  });

  it("takes fragments into account", () => {
    const viaFragment = facts(
      `query($slug: String!) { exhibition(slug: $slug) { ...Works } } fragment Works on Exhibition { works(first: 1) { edges { node { likeCount } } } }`,
    );
    expect(viaFragment.maxAge).toBe(5);
    expect(viaFragment.typenames).toContain("ExhibitedWork");
  });
});
