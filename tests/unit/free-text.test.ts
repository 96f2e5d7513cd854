import { buildSchema, graphql, GraphQLInputType, GraphQLString, isInputObjectType, isListType, isNonNullType, isObjectType } from "graphql";
import { guardFreeText } from "../../lib/free-text-guard";
import { forbiddenCharacterIn } from "../../lib/text";
import { subgraphDefinitions } from "../../subgraphs";

const codePoint = (character: string) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

describe("forbiddenCharacterIn", () => {
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => String.fromCodePoint(from + index));
  const forbidden = [
    ...range(0x202a, 0x202e), // embeddings and overrides (LRE RLE PDF LRO RLO)
    ...range(0x2066, 0x2069), // isolates
    ...range(0x200b, 0x200f), // zero-width space, non-joiner, joiner; LRM, RLM
    "\u2060",
    "\uFEFF",
    "\u00AD",
    "\u061C",
    "\u2028",
    "\u2029",
    "\uD800",
    ...range(0x00, 0x1f),
    "\u007F",
    ...range(0x80, 0x9f),
    String.fromCodePoint(0xe0001), // language tag
  ];

  it.each(forbidden.map((character) => [codePoint(character), character]))("refuses %s in single-line text, naming it and its position", (name, character) => {
    expect(forbiddenCharacterIn(`ab${character}c`, false)).toBe(`${name} at position 3`);
  });

  it("allows line feed, carriage return and tab only in multi-line text, and nothing else invisible there", () => {
    for (const character of ["\n", "\r", "\t"]) {
      expect(forbiddenCharacterIn(`a${character}b`, true)).toBeNull();
      expect(forbiddenCharacterIn(`a${character}b`, false)).toBe(`${codePoint(character)} at position 2`);
    }
    expect(forbiddenCharacterIn("line\r\nnext \u202E", true)).toBe("U+202E at position 12");
  });

  it("accepts ordinary text in any script, accents, emoji and spaces", () => {
    for (const text of ["São João", "Zoë", "e\u0301", "北京 摄影", "Ἀθῆναι", "مرحبا", "שלום", "😀 📷", "a b\u00A0c", "1 + 1 = 2", "@venue"]) {
      expect(forbiddenCharacterIn(text, false)).toBeNull();
    }
  });

  it("counts positions in characters, not UTF-16 units", () => {
    expect(forbiddenCharacterIn("😀\u202E", false)).toBe("U+202E at position 2");
  });
});

describe("guardFreeText", () => {
  const received: unknown[] = [];
  const schema = guardFreeText(
    buildSchema(`
      input Person { name: String!, description: String, tags: [String!] }
      input Wrapper { people: [Person!]! }
      type Query { echo(wrapper: Wrapper, label: String, count: Int): Int, plain: Int }
    `),
  );
  const rootValue = {
    echo: (args: unknown) => {
      received.push(args);
      return 1;
    },
  };
  const run = (source: string, variableValues: Record<string, unknown> = {}) => graphql({ schema, source, rootValue, variableValues });

  it("refuses a forbidden character anywhere in the arguments, naming its path, before the resolver runs", async () => {
    received.length = 0;
    const result = await run(`query($w: Wrapper) { echo(wrapper: $w) }`, { w: { people: [{ name: "ok" }, { name: "x", tags: ["fine", "bad\u202E"] }] } });
    expect(result.errors?.[0]).toMatchObject({
      message: "wrapper.people[1].tags[1] must not contain invisible, bidirectional or control characters (U+202E at position 4).",
      extensions: { code: "BAD_USER_INPUT", argument: "wrapper.people[1].tags[1]" },
    });
    expect(received).toEqual([]);
    expect((await run(`{ echo(label: "a\\nb") }`)).errors?.[0].extensions).toMatchObject({ argument: "label" });
  });

  it("passes NFC-normalised text to the resolver, and multi-line fields their line breaks", async () => {
    received.length = 0;
    const result = await run(`query($w: Wrapper) { echo(wrapper: $w, label: "Zoe\\u0308", count: 2) }`, {
      w: { people: [{ name: "Jose\u0301", description: "first line\nsecond line" }] },
    });
    expect(result.errors).toBeUndefined();
    expect(received).toEqual([{ wrapper: { people: [{ name: "José", description: "first line\nsecond line" }] }, label: "Zoë", count: 2 }]);
  });
});

describe("every subgraph's schema", () => {
  /** A value for the type with the override in every String position (input objects followed to any depth). */
  function overridden(type: GraphQLInputType, seen: Set<string> = new Set()): unknown {
    if (isNonNullType(type)) return overridden(type.ofType, seen);
    if (isListType(type)) return [overridden(type.ofType, seen)];
    if (type === GraphQLString) return "x\u202E";
    if (isInputObjectType(type) && !seen.has(type.name)) {
      const inner = new Set([...seen, type.name]);
      return Object.fromEntries(
        Object.values(type.getFields())
          .map((field) => [field.name, overridden(field.type, inner)])
          .filter(([, value]) => value !== undefined),
      );
    }
    return undefined;
  }

  it.each(Object.keys(subgraphDefinitions))("%s: every field taking text, nested ones included, refuses an override before its resolver", async (name) => {
    const schema = await subgraphDefinitions[name as keyof typeof subgraphDefinitions]!.buildSchema();
    const unguarded: string[] = [];
    let checked = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const field of Object.values(type.getFields())) {
        const args = Object.fromEntries(
          field.args
            .map((argument) => [argument.name, overridden(argument.type)])
            .filter(([, value]) => value !== undefined && JSON.stringify(value).includes("\u202E")),
        );
        if (Object.keys(args).length === 0) continue;
        checked += 1;
        try {
          const result = (field.resolve ?? (() => undefined))({}, args, {}, {} as never);
          if (result && typeof (result as Promise<unknown>).then === "function") (result as Promise<unknown>).catch(() => undefined);
          unguarded.push(`${type.name}.${field.name}`);
        } catch (error) {
          if (!/must not contain invisible/.test((error as Error).message)) unguarded.push(`${type.name}.${field.name}: ${(error as Error).message}`);
        }
      }
    }
    expect(unguarded).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});
