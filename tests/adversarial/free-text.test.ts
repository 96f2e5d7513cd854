// Class 9 of #12: invisible and bidirectional characters are refused in every free-text input of every subgraph.
// Generated from each subgraph's schema (internal fields included): every String field of every input type and
// every String argument of every root field gets a right-to-left override inside an otherwise fitting value, sent
// through the gateway for public fields and to the subgraph for internal ones; each must be refused with
// BAD_USER_INPUT naming the field's path, before anything runs.
import fs from "node:fs";
import path from "node:path";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { GraphQLInputType, GraphQLSchema, GraphQLString, getNamedType, isListType, isNonNullType, parse } from "graphql";
import { loadApiSchema } from "../../gateway/explorer/explorer.routes";
import { SUBGRAPH_NAMES, SubgraphName } from "../../lib/config";
import { PROJECT_ROOT } from "../../lib/paths";
import { graphql, tokenFor } from "../kit/http";
import { inputPositions, operationWith, validValue } from "../kit/schema-inputs";
import { startSystem, TestSystem } from "../kit/system";

const RLO = "\u202E";

interface TextProbe {
  label: string;
  query: string;
  variables: Record<string, unknown>;
  /** The path the refusal must name, e.g. input.entrant.name or input.title[0].text. */
  path: string;
  rootField: string;
}

const isList = (type: GraphQLInputType) => isListType(isNonNullType(type) ? type.ofType : type);

/** One probe per String field of every input type and per String argument of every root field of the schema. */
function textProbes(schema: GraphQLSchema, text: string): TextProbe[] {
  const probes: TextProbe[] = [];
  const positions = inputPositions(schema);
  for (const position of positions.values()) {
    for (const field of Object.values(position.type.getFields())) {
      if (getNamedType(field.type) !== GraphQLString) continue;
      // An otherwise fitting value at each level, with the text in this field.
      let value: unknown = { ...(validValue(position.type) as object), [field.name]: text };
      let route = `.${field.name}${isList(field.type) ? "[0]" : ""}`;
      for (let index = position.steps.length - 1; index >= 0; index--) {
        const step = position.steps[index];
        const parent = index === 0 ? getNamedType(position.argument.type) : getNamedType(position.steps[index - 1].type);
        value = { ...(validValue(parent as GraphQLInputType) as object), [step.name]: value };
        route = `.${step.name}${isList(step.type) ? "[0]" : ""}${route}`;
      }
      const { query, variables } = operationWith(position.operation, position.field, position.argument, value);
      const expected = `${position.argument.name}${isList(position.argument.type) ? "[0]" : ""}${route}`;
      probes.push({ label: `${position.type.name}.${field.name}`, query, variables, path: expected, rootField: position.field.name });
    }
  }
  for (const [operation, root] of [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      for (const argument of field.args) {
        if (getNamedType(argument.type) !== GraphQLString) continue;
        if (field.args.some((other) => other !== argument && isNonNullType(other.type) && validValue(other.type) === undefined)) continue;
        const { query, variables } = operationWith(operation, field, argument, text);
        probes.push({
          label: `${root!.name}.${field.name}(${argument.name}:)`,
          query,
          variables,
          path: `${argument.name}${isList(argument.type) ? "[0]" : ""}`,
          rootField: field.name,
        });
      }
    }
  }
  return probes;
}

describe("invisible and bidirectional characters in free text", () => {
  let system: TestSystem;
  let publicRootFields: Set<string>;
  const subgraphSchema = (name: SubgraphName) =>
    buildSubgraphSchema([{ typeDefs: parse(fs.readFileSync(path.join(PROJECT_ROOT, "schema", `${name}.graphql`), "utf8")) }]);

  beforeAll(async () => {
    system = await startSystem();
    const api = await loadApiSchema();
    publicRootFields = new Set([...Object.keys(api.getQueryType()!.getFields()), ...Object.keys(api.getMutationType()!.getFields())]);
  });
  afterAll(() => system.stop());

  /** Sends each probe (public fields through the gateway), at most 8 at a time, and returns the errors naming probe.path. */
  async function send(probes: TextProbe[], name: SubgraphName) {
    const token = tokenFor({ role: "ORGANIZER" });
    const results: { probe: TextProbe; errors: { message: string; extensions?: Record<string, any> }[] }[] = [];
    for (let start = 0; start < probes.length; start += 8) {
      const batch = probes.slice(start, start + 8);
      const responses = await Promise.all(
        batch.map((probe) =>
          graphql(publicRootFields.has(probe.rootField) ? system.gatewayUrl : system.urls[name], probe.query, { variables: probe.variables, token }),
        ),
      );
      responses.forEach((response, index) => results.push({ probe: batch[index], errors: response.errors ?? [] }));
    }
    return results;
  }

  it.each([...SUBGRAPH_NAMES])("refuses a right-to-left override in every String input of %s, naming the field", async (name) => {
    const probes = textProbes(subgraphSchema(name), `Name ${RLO}gpj.exe`);
    expect(probes.length).toBeGreaterThan(0);
    const results = await send(probes, name);
    const unrefused = results
      .filter(({ probe, errors }) => !errors.some((error) => error.extensions?.code === "BAD_USER_INPUT" && error.extensions?.argument === probe.path))
      .map(({ probe, errors }) => `${probe.label} (${probe.path}) → ${JSON.stringify(errors.map((error) => [error.extensions?.code, error.message]))}`);
    expect(unrefused).toEqual([]);
    for (const { probe, errors } of results) {
      expect(errors.find((error) => error.extensions?.argument === probe.path)!.message).toMatch(/U\+202E at position 6/);
    }
  });

  it("lets multi-line fields hold line breaks and refuses them elsewhere", async () => {
    const probes = SUBGRAPH_NAMES.flatMap((name) => textProbes(subgraphSchema(name), "two\nlines").map((probe) => ({ probe, name })));
    const multiline = (probe: TextProbe) => /(^|\.)(description|reason|text)(\[0\])?$/.test(probe.path);
    expect(probes.filter(({ probe }) => multiline(probe)).length).toBeGreaterThan(3);
    for (const name of SUBGRAPH_NAMES) {
      const results = await send(
        probes.filter((item) => item.name === name).map((item) => item.probe),
        name,
      );
      for (const { probe, errors } of results) {
        const refused = errors.some((error) => error.extensions?.argument === probe.path && /U\+000A/.test(error.message));
        expect({ field: probe.label, refused }).toEqual({ field: probe.label, refused: !multiline(probe) });
      }
    }
  });
});
