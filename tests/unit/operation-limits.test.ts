import "reflect-metadata";
import { buildSchema, parse } from "graphql";
import { loadConfig } from "../../lib/config";
import { DEFAULT_OPERATION_LIMITS, DEFAULT_ORGANIZER_OPERATION_LIMITS, parseOperationLimits } from "../../lib/operation-limits";
import { checkOperation } from "../../gateway/limits/check-operation";
import { countTokens } from "../../gateway/limits/count-tokens";
import { measureOperation } from "../../gateway/limits/measure-operation";

const schema = buildSchema(`
  type Query { venues(first: Int, after: String): VenueConnection! venue(id: ID!): Venue rounds: [Round!]! }
  type VenueConnection { edges: [VenueEdge!]! totalCount: Int! pageInfo: PageInfo! }
  type VenueEdge { cursor: String! node: Venue! }
  type PageInfo { hasNextPage: Boolean! }
  type Venue { id: ID! code: String! organization: Organization! entries(first: Int): EntryConnection! photos: [Photo!]! }
  type Organization { id: ID! venues: [Venue!]! }
  type EntryConnection { edges: [EntryEdge!]! }
  type EntryEdge { node: Entry! }
  type Entry { id: ID! title: String! }
  type Photo { url: String! }
  type Round { id: ID! }
`);

const measure = (query: string, variables: Record<string, unknown> = {}, maxDepth = 50) => measureOperation(parse(query), schema, { variables, maxDepth });

describe("operation measurement", () => {
  it("counts each object once per parent, and a connection's edges by `first` (default 20)", () => {
    // venues connection 1 + 20 edges × (1 + node 1)
    expect(measure(`{ venues { edges { node { id } } } }`).cost).toBe(1 + 20 * (1 + 1));
    // totalCount is a COUNT over every matching row: it weighs COUNT_FIELD_WEIGHT (100) whatever the page size
    expect(measure(`{ venues(first: 5) { totalCount edges { node { code } } } }`).cost).toBe(1 + 100 + 5 * 2);
    // an unpaginated list is assumed to hold 10 items
    expect(measure(`{ venue(id: "x") { photos { url } } }`).cost).toBe(1 + 10);
    // nested pages multiply
    expect(measure(`{ venues(first: 10) { edges { node { entries(first: 10) { edges { node { id } } } } } } }`).cost).toBe(1 + 10 * (1 + 1 + (1 + 10 * 2)));
  });

  it("reads `first` from variables, their defaults, and ignores values that are not whole numbers", () => {
    const query = `query($n: Int = 7) { venues(first: $n) { edges { node { id } } } }`;
    expect(measure(query).cost).toBe(1 + 7 * 2);
    expect(measure(query, { n: 3 }).cost).toBe(1 + 3 * 2);
    expect(measure(query, { n: "lots" }).cost).toBe(1 + 20 * 2);
    expect(measure(query, { n: 1e300 }).cost).toBe(1e15);
  });

  it("measures depth, root fields, aliases and directives with fragments expanded", () => {
    const result = measure(`
      query { a: venues { ...Page } b: venue(id: "1") @include(if: true) { id } ...Roots }
      fragment Page on VenueConnection { edges { node { organization { venues { id } } } } }
      fragment Roots on Query { rounds { id } venue(id: "2") { c: code } }`);
    expect(result).toMatchObject({ depth: 6, rootFields: 4, aliases: 3, directives: 1 });
  });

  it("stops at the depth limit and survives cyclic and exponential fragments", () => {
    expect(measure(`{ venue(id: "1") { organization { venues { organization { id } } } } }`, {}, 3).depth).toBe(4);
    const cyclic = measure(`{ ...A } fragment A on Query { rounds { id } ...B } fragment B on Query { ...A }`);
    expect(cyclic.rootFields).toBe(1);
    const fanOut = Array.from({ length: 60 }, (_, index) => `fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`).join(" ");
    const started = Date.now();
    const exponential = measure(`{ ...F0 } ${fanOut} fragment F60 on Query { rounds { id } }`);
    // Walking the 2^60 paths would never end; counting each fragment once takes milliseconds (10 s: a busy machine).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(exponential.rootFields).toBe(1e15);
    expect(exponential.cost).toBe(1e15);
  });

  it("counts tokens without parsing and stops just past the limit", () => {
    expect(countTokens(`{ venue(id: "1") { id } }`, 100)).toBe(11);
    expect(countTokens(`{ ${"id ".repeat(1_000_000)} }`, 50)).toBe(51);
    expect(countTokens(`{ "unterminated`, 100)).toBe(1);
  });

  it("checks a request against the limits, variables and tokens first", () => {
    const limits = { ...DEFAULT_OPERATION_LIMITS, cost: 30 };
    expect(checkOperation({ query: `{ venues(first: 5) { edges { node { id } } } }` }, limits, schema)).toBeUndefined();
    expect(checkOperation({ query: `{ venues(first: 50) { edges { node { id } } } }` }, limits, schema)?.extensions).toMatchObject({
      code: "OPERATION_LIMIT_EXCEEDED",
      limit: "cost",
      max: 30,
      actual: 101,
    });
    const variables = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`v${index}`, 1]));
    expect(checkOperation({ query: `{ rounds { id } }`, variables }, limits, schema)?.extensions?.limit).toBe("variables");
    // A syntax error is left to Apollo, which reports it with GRAPHQL_PARSE_FAILED.
    expect(checkOperation({ query: `{ rounds { id }` }, limits, schema)).toBeUndefined();
  });
});

describe("operation limit settings", () => {
  it("has documented defaults, organisers' wider", () => {
    expect(DEFAULT_OPERATION_LIMITS).toEqual({ depth: 12, aliases: 30, rootFields: 10, tokens: 4000, directives: 20, variables: 100, cost: 5000 });
    for (const [name, value] of Object.entries(DEFAULT_ORGANIZER_OPERATION_LIMITS)) {
      expect(value).toBeGreaterThan(DEFAULT_OPERATION_LIMITS[name as keyof typeof DEFAULT_OPERATION_LIMITS]);
    }
  });

  it("reads overrides from OPERATION_LIMITS and ORGANIZER_OPERATION_LIMITS, naming the variable on a bad value", () => {
    const config = loadConfig({ OPERATION_LIMITS: "depth=8, cost=900", ORGANIZER_OPERATION_LIMITS: "cost=100000" });
    expect(config.operationLimits.default).toEqual({ ...DEFAULT_OPERATION_LIMITS, depth: 8, cost: 900 });
    expect(config.operationLimits.organizer).toEqual({ ...DEFAULT_ORGANIZER_OPERATION_LIMITS, cost: 100000 });
    expect(() => loadConfig({ OPERATION_LIMITS: "depth=deep" })).toThrow(/OPERATION_LIMITS must be a list/);
    expect(() => loadConfig({ ORGANIZER_OPERATION_LIMITS: "height=3" })).toThrow(/ORGANIZER_OPERATION_LIMITS has an unknown limit "height"/);
    expect(() => parseOperationLimits("cost=0", DEFAULT_OPERATION_LIMITS)).toThrow(/between 1 and/);
  });

  it("requires SUBGRAPH_SECRET in production, and a long one, and bounds SUBGRAPH_TIMEOUT_MS", () => {
    const production = { NODE_ENV: "production", JWT_SECRET: "p".repeat(40) };
    expect(() => loadConfig(production)).toThrow(/SUBGRAPH_SECRET must be set in production/);
    expect(() => loadConfig({ ...production, SUBGRAPH_SECRET: "short" })).toThrow(/SUBGRAPH_SECRET must be at least 32/);
    expect(loadConfig({ ...production, SUBGRAPH_SECRET: "s".repeat(32) }).subgraphSecret).toBe("s".repeat(32));
    expect(loadConfig({}).subgraphSecret).toBeUndefined();
    expect(loadConfig({}).subgraphTimeoutMs).toBe(10_000);
    expect(() => loadConfig({ SUBGRAPH_TIMEOUT_MS: "5" })).toThrow(/SUBGRAPH_TIMEOUT_MS must be between 100/);
  });
});
