// Class 8 of #12: with introspection off, refused input must not teach the schema. For every input type of the
// public schema (generated, not listed), wrong-shaped variables and literals are sent in production mode to the
// gateway and, for the types a subgraph owns, to that subgraph directly; no message may name a field, argument,
// type or enum value of the schema that the caller did not write.
import fs from "node:fs";
import path from "node:path";
import { GraphQLInputObjectType, GraphQLSchema, getNamedType, isEnumType, isInputObjectType, isNonNullType, parse } from "graphql";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { loadApiSchema } from "../../gateway/explorer/explorer.routes";
import { SUBGRAPH_NAMES, SubgraphName } from "../../lib/config";
import { PROJECT_ROOT } from "../../lib/paths";
import { graphql, GraphqlResponse, tokenFor } from "../kit/http";
import { InputPosition, inputPositions, inputTypes, namesWritten, operationAt, schemaNames } from "../kit/schema-inputs";
import { startSystem, TestSystem } from "../kit/system";

/** Wrong shapes for a value of the type: missing fields, not an object, an unknown field, each field of the wrong kind. */
function wrongShapes(type: GraphQLInputObjectType): unknown[] {
  const fields = Object.values(type.getFields());
  const hasRequired = fields.some((field) => isNonNullType(field.type) && field.defaultValue === undefined);
  const shapes: unknown[] = [...(hasRequired ? [{}] : []), "not an object", [[1]], { zzNotAField: 1 }];
  for (const field of fields) {
    const named = getNamedType(field.type);
    shapes.push({ [field.name]: isInputObjectType(named) ? 7 : { zzWrong: true } });
    if (isNonNullType(field.type)) shapes.push({ [field.name]: null });
    if (isEnumType(named)) shapes.push({ [field.name]: "ZZ_NOT_A_VALUE" });
    if (named.name === "Int") shapes.push({ [field.name]: 1.5 }, { [field.name]: 2 ** 40 });
    if (["Float", "Boolean", "DateTime", "JSONObject"].includes(named.name)) shapes.push({ [field.name]: "zz wrong" });
    if (["String", "ID"].includes(named.name)) shapes.push({ [field.name]: false });
  }
  return shapes;
}

/** The same wrong shapes written as literals in the operation (checked at validation rather than coercion). */
function literalAt(position: InputPosition, inner: string): string {
  let literal = inner;
  for (const step of [...position.steps].reverse()) literal = `{ ${step.name}: ${literal} }`;
  return `${position.operation} { ${position.field.name}(${position.argument.name}: ${literal}) { __typename } }`;
}

/** Names of the schema in a message that the caller did not write: quoted ones, and type names anywhere. */
function untaughtNames(message: string, schema: Set<string>, types: Set<string>, written: Set<string>): string[] {
  const quoted = [...message.matchAll(/"([^"]*)"/g)].flatMap((match) => match[1].match(/[A-Za-z_]\w*/g) ?? []);
  const words = message.match(/[A-Za-z_]\w*/g) ?? [];
  return [...new Set([...quoted.filter((name) => schema.has(name)), ...words.filter((name) => types.has(name))])].filter((name) => !written.has(name));
}

describe("production errors for input of the wrong shape", () => {
  let system: TestSystem;
  let schema: GraphQLSchema;
  let names: Set<string>;
  let typeNames: Set<string>;
  /** A subgraph's own schema (internal fields included), built from its emitted SDL. */
  const subgraphSchema = (name: SubgraphName) =>
    buildSubgraphSchema([{ typeDefs: parse(fs.readFileSync(path.join(PROJECT_ROOT, "schema", `${name}.graphql`), "utf8")) }]);

  beforeAll(async () => {
    system = await startSystem({ env: { NODE_ENV: "production", JWT_SECRET: "production-test-secret-".padEnd(48, "p"), LOG_LEVEL: "error" } });
    schema = await loadApiSchema();
    names = schemaNames(schema);
    typeNames = new Set(Object.keys(schema.getTypeMap()).filter((name) => !name.startsWith("__")));
  });
  afterAll(() => system.stop());

  /** Sends each probe (at most 8 at a time) and returns what each message names that the caller did not write. */
  async function leaksOf(url: string, probes: { query: string; variables?: Record<string, unknown> }[]) {
    const token = tokenFor({ role: "ORGANIZER" });
    const leaks: string[] = [];
    const unanswered: string[] = [];
    const duplicated: string[] = [];
    for (let start = 0; start < probes.length; start += 8) {
      const batch = probes.slice(start, start + 8);
      const responses: GraphqlResponse[] = await Promise.all(batch.map((probe) => graphql(url, probe.query, { variables: probe.variables, token })));
      responses.forEach((response, index) => {
        const { query, variables } = batch[index];
        const label = `${query} ${JSON.stringify(variables ?? {})}`;
        const errors = response.errors ?? [];
        if (errors.length === 0 || errors.some((error) => !["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"].includes(error.extensions?.code))) {
          unanswered.push(`${label} → ${JSON.stringify(response.errors ?? response.data)}`);
        }
        const messages = errors.map((error) => error.message);
        if (new Set(messages).size !== messages.length) duplicated.push(`${label} → ${JSON.stringify(messages)}`);
        const written = namesWritten(query, variables);
        for (const message of messages) {
          const untaught = untaughtNames(message, names, typeNames, written);
          if (untaught.length > 0 || /Did you mean/.test(message)) leaks.push(`${label}\n    → ${message}  [${untaught.join(", ")}]`);
        }
      });
    }
    return { leaks, unanswered, duplicated };
  }

  function probesFor(types: GraphQLInputObjectType[], positions: Map<string, InputPosition>) {
    const probes: { query: string; variables?: Record<string, unknown> }[] = [];
    for (const type of types) {
      const position = positions.get(type.name)!;
      for (const shape of wrongShapes(type)) probes.push(operationAt(position, shape));
      probes.push({ query: literalAt(position, "{ zzNotAField: 1 }") }, { query: literalAt(position, `"not an object"`) });
      if (wrongShapes(type).some((shape) => shape && typeof shape === "object" && !Array.isArray(shape) && Object.keys(shape).length === 0)) {
        probes.push({ query: literalAt(position, "{}") });
      }
    }
    return probes;
  }

  it("covers every input type of each subgraph, and every one of the public schema that a public field takes", () => {
    const publicPositions = inputPositions(schema);
    const everyPosition = new Set(SUBGRAPH_NAMES.flatMap((name) => [...inputPositions(subgraphSchema(name)).keys()]));
    // Types only internal (@inaccessible) fields take show in the public schema, but no public operation can send one.
    const internalOnly = inputTypes(schema)
      .map((type) => type.name)
      .filter((name) => !publicPositions.has(name));
    expect(internalOnly.filter((name) => !everyPosition.has(name))).toEqual([]);
    expect(publicPositions.size).toBeGreaterThan(30);
  });

  it("names nothing the caller did not send, at the gateway", async () => {
    const positions = inputPositions(schema);
    const { leaks, unanswered, duplicated } = await leaksOf(
      system.gatewayUrl,
      probesFor(
        inputTypes(schema).filter((type) => positions.has(type.name)),
        positions,
      ),
    );
    expect(unanswered).toEqual([]);
    expect(leaks).toEqual([]);
    expect(duplicated).toEqual([]);
  });

  it("names nothing the caller did not send, at each subgraph, internal fields included (one rule for all services)", async () => {
    for (const name of SUBGRAPH_NAMES) {
      const own = subgraphSchema(name);
      for (const schemaName of schemaNames(own)) names.add(schemaName);
      for (const typeName of Object.keys(own.getTypeMap())) if (!typeName.startsWith("__")) typeNames.add(typeName);
      const positions = inputPositions(own);
      const { leaks, unanswered } = await leaksOf(
        system.urls[name],
        probesFor(
          inputTypes(own).filter((type) => positions.has(type.name)),
          positions,
        ),
      );
      expect({ name, unanswered }).toEqual({ name, unanswered: [] });
      expect({ name, leaks }).toEqual({ name, leaks: [] });
    }
  });

  it("names nothing for a root field called without its required arguments", async () => {
    const probes = [schema.getQueryType()!, schema.getMutationType()!].flatMap((root) =>
      Object.values(root.getFields())
        .filter((field) => field.args.some((argument) => isNonNullType(argument.type) && argument.defaultValue === undefined))
        .map((field) => ({ query: `${root === schema.getQueryType() ? "query" : "mutation"} { ${field.name} { __typename } }` })),
    );
    expect(probes.length).toBeGreaterThan(10);
    const { leaks, unanswered } = await leaksOf(system.gatewayUrl, probes);
    expect(unanswered).toEqual([]);
    expect(leaks).toEqual([]);
  });

  it("still says what is wrong with the value, in the caller's terms", async () => {
    const response = await graphql(
      system.gatewayUrl,
      `
        mutation ($input: CreateEntryInput!) {
          createEntry(input: $input) {
            id
          }
        }
      `,
      {
        variables: { input: { title: 5, entrant: {}, zzExtra: 1 } },
        token: tokenFor({ role: "ORGANIZER" }),
      },
    );
    const messages = (response.errors ?? []).map((error) => error.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'Variable "$input" got invalid value { title: 5, entrant: {}, zzExtra: 1 }; a required field is missing.',
        'Variable "$input" got invalid value 5 at "input.title"; expected a string.',
        'Variable "$input" got invalid value {} at "input.entrant"; a required field is missing.',
        'Variable "$input" got invalid value { title: 5, entrant: {}, zzExtra: 1 }; field "zzExtra" is not accepted here.',
      ]),
    );
    expect(messages).toHaveLength(4);
  });
});
