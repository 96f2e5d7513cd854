// The cost model carries the weight of expensive work (issue #19, class 5), checked over the composed API schema so
// a new field of an expensive kind cannot appear unweighted.
import "reflect-metadata";
import { GraphQLSchema, isInterfaceType, isIntrospectionType, isObjectType, parse } from "graphql";
import { loadApiSchema } from "../../gateway/explorer/explorer.routes";
import { checkOperation } from "../../gateway/limits/check-operation";
import { COUNT_FIELD_WEIGHT, FIELD_WEIGHTS, fieldWeight } from "../../gateway/limits/field-weights";
import { measureOperation } from "../../gateway/limits/measure-operation";
import { DEFAULT_OPERATION_LIMITS } from "../../lib/operation-limits";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await loadApiSchema();
});

/** Fields whose names say they count, rank, summarise or export. */
const EXPENSIVE_NAME = /(^totalCount$|Count$|count$|stats|Stats|leaderboard|Leaderboard|ranking|Ranking|export|Export|progress|Progress|verify)/;
/** Mutations whose names say they check or make a credential (a scrypt hash). */
const CREDENTIAL_MUTATION = /(issueToken|Secret|Login|^createApiClient$)/;

/**
 * Per-item values that are no query of their own: counters stored on a row, the rows of a weighted result
 * (entryStats' counts, a judge's score buckets), a leaderboard row's figures (the leaderboard is weighted).
 */
const NOT_A_QUERY = new Set([
  "ExhibitedWork.likeCount",
  "ExhibitedWork.viewCount",
  "LeaderboardRow.judgeCount",
  "LeaderboardRow.assignedJudgeCount",
  "EntryStat.count",
  "ScoreBucket.count",
  // A rank explanation's figures come with the (weighted) leaderboard; a head's record count is stored with the head.
  "ScoreContribution.judgeScoreCount",
  "ScoreLogHead.recordCount",
]);

describe("field weights", () => {
  it("every field of an expensive kind in the API schema carries a weight (or is a stored counter)", () => {
    const unweighted: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type) || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        const expensive = EXPENSIVE_NAME.test(field.name) || (type === schema.getMutationType() && CREDENTIAL_MUTATION.test(field.name));
        if (expensive && !fieldWeight(type.name, field.name) && !NOT_A_QUERY.has(coordinate)) unweighted.push(coordinate);
      }
    }
    expect(unweighted).toEqual([]);
  });

  it("names only fields that exist (a rename cannot leave a weight behind)", () => {
    for (const coordinate of Object.keys(FIELD_WEIGHTS)) {
      const [typeName, fieldName] = coordinate.split(".");
      const type = schema.getType(typeName);
      expect([coordinate, type && (isObjectType(type) || isInterfaceType(type)) && Boolean(type.getFields()[fieldName])]).toEqual([coordinate, true]);
    }
  });

  it("counts totalCount even with first: 0, once per evaluation", () => {
    const cost = (query: string) => measureOperation(parse(query), schema, { maxDepth: 50 }).cost;
    const one = cost(`{ venues(first: 0) { totalCount } }`);
    expect(one).toBeGreaterThanOrEqual(COUNT_FIELD_WEIGHT.weight);
    const nine = cost(`{ ${Array.from({ length: 9 }, (_, i) => `a${i}: venues(first: 0) { totalCount }`).join(" ")} }`);
    expect(nine).toBe(9 * one);
  });

  it("refuses an operation that aliases issueToken, however it is spread", () => {
    const check = (query: string) => checkOperation({ query }, DEFAULT_OPERATION_LIMITS, schema);
    const login = (alias: string) => `${alias}: issueToken(clientId: "a", clientSecret: "b") { accessToken }`;
    expect(check(`mutation { ${login("one")} }`)).toBeUndefined();
    for (const query of [
      `mutation { ${Array.from({ length: 10 }, (_, i) => login(`t${i}`)).join(" ")} }`,
      `mutation { ${login("a")} ${login("b")} }`,
      `mutation { ...F ...F } fragment F on Mutation { ${login("a")} }`,
      `mutation { ...F ... on Mutation { ${login("b")} } } fragment F on Mutation { ${login("a")} }`,
    ]) {
      expect(check(query)?.extensions).toMatchObject({ code: "OPERATION_LIMIT_EXCEEDED", limit: "oncePerOperation", field: "Mutation.issueToken" });
    }
  });

  it("weighs issueToken as the password check it is", () => {
    const cost = measureOperation(parse(`mutation { issueToken(clientId: "a", clientSecret: "b") { accessToken } }`), schema, { maxDepth: 50 }).cost;
    expect(cost).toBeGreaterThanOrEqual(FIELD_WEIGHTS["Mutation.issueToken"].weight);
  });
});
