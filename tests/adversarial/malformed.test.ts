// Malformed input, generated with fast-check: random documents, random JSON bodies, variables of the wrong types
// and broken multipart bodies. Whatever comes in, the answer is JSON with coded errors — never a 500, never a
// masked internal error, never a crash — and no half-received upload is left on disk.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { makeJpeg } from "../../subgraphs/entries/media/fixtures";
import { EntryStatus } from "../../subgraphs/entries/entry/entry.entity";
import { graphql, tokenFor } from "../kit/http";
import { filesUnder } from "../kit/multipart";
import { seedCompetition, seedEntry, seedVenue } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";
import { rawRequest, RawResponse } from "./support";

/** Fixed seed: a failure reproduces; FAST_CHECK_SEED overrides it to explore further. */
const seed = Number(process.env.FAST_CHECK_SEED ?? 20241128);

/** The answer to any input: JSON, a status below 500, and every error coded with something other than an internal error. */
function expectCodedAnswer(response: RawResponse, input: unknown) {
  const context = `input ${JSON.stringify(input)?.slice(0, 300)} → ${response.status} ${response.text.slice(0, 300)}`;
  if (response.status >= 500 || response.status === 0) throw new Error(`server error: ${context}`);
  if (!response.json || typeof response.json !== "object") throw new Error(`not JSON: ${context}`);
  for (const error of response.json.errors ?? []) {
    const code = error?.extensions?.code;
    if (typeof code !== "string" || code === "INTERNAL_SERVER_ERROR") throw new Error(`uncoded or internal error: ${context}`);
  }
  if (response.status >= 400 && !(response.json.errors?.length > 0)) throw new Error(`refusal without errors: ${context}`);
}

const VOCABULARY = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ":",
  "=",
  "!",
  "$",
  "...",
  "@",
  "|",
  "&",
  ",",
  "query",
  "mutation",
  "subscription",
  "fragment",
  "on",
  "true",
  "false",
  "null",
  "__schema",
  "__typename",
  "competition",
  "entries",
  "entry",
  "venue",
  "venues",
  "exhibitions",
  "first",
  "after",
  "id",
  "name",
  "title",
  "edges",
  "node",
  "createEntry",
  "input",
  "ID",
  "Int",
  "String",
  "$id",
  "$first",
  "@include",
  "@skip",
  "@defer",
  "if",
  '"text"',
  '"""block"""',
  '"\\u0000"',
  '"\\uD800"',
  "0",
  "-1",
  "1e309",
  "99999999999999999999",
  "3.5",
  "#comment\n",
  "\u0000",
  "\uFEFF",
  "\u2028",
  "😀",
];

describe("malformed input never gets a 500", () => {
  let system: TestSystem;
  let venueToken: string;
  let venueId: string;
  let draftId: string;

  /** Where graphql-upload buffers files (fs-capacitor uses os.tmpdir()): private to this file, so leftovers can be counted. */
  const uploadBuffers = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-upload-buffers-"));
  const previousTmpdir = process.env.TMPDIR;
  /** The buffered files still there once the request has ended (cleanup is asynchronous: wait up to 2 s). */
  const bufferedUploadsGone = async () => {
    for (let attempt = 0; attempt < 20 && fs.readdirSync(uploadBuffers).length; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    return fs.readdirSync(uploadBuffers);
  };

  beforeAll(async () => {
    process.env.TMPDIR = uploadBuffers;
    system = await startSystem({ env: { RATE_LIMIT_PER_SECOND: "100000", RATE_LIMIT_BURST: "1000000" } });
    await seedCompetition(system.dataSources.entries);
    const venue = await seedVenue(system.dataSources.venues);
    venueId = venue.id;
    venueToken = tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] });
    draftId = (await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, status: EntryStatus.DRAFT, photos: 0 }))
      .id;
  });
  afterAll(async () => {
    await system.stop();
    process.env.TMPDIR = previousTmpdir;
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    fs.rmSync(uploadBuffers, { recursive: true, force: true });
  });

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    rawRequest(system.gatewayUrl, body, { "content-type": "application/json", authorization: `Bearer ${venueToken}`, ...headers });

  it("random GraphQL documents", async () => {
    const document = fc.oneof(
      fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 60 }).map((tokens) => tokens.join(" ")),
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.array(fc.oneof(fc.constantFrom(...VOCABULARY), fc.string({ maxLength: 8 })), { maxLength: 40 }).map((tokens) => tokens.join("")),
    );
    await fc.assert(
      fc.asyncProperty(document, fc.option(fc.string({ maxLength: 20 })), async (query, operationName) => {
        expectCodedAnswer(await post(JSON.stringify({ query, operationName })), { query, operationName });
      }),
      { numRuns: 200, seed },
    );
  });

  it("random JSON bodies and body encodings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (body) => {
        expectCodedAnswer(await post(JSON.stringify(body)), body);
      }),
      { numRuns: 100, seed },
    );
    for (const [body, headers] of [
      ["{ not json", {}],
      ['{"query": "{ competition { name } }"', {}],
      [Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), {}],
      ['{"query": "{ competition { name } }"}', { "content-type": "application/json; charset=latin-7" }],
      ['{"query": "{ competition { name } }"}', { "content-type": "text/plain" }],
      ['{"query": "{ competition { name } }"}', { "content-type": "application/x-www-form-urlencoded" }],
      ['{"query": "{ competition { name } }"}', { "content-encoding": "gzip" }],
      [`{"query": "{ competition { name } }", "variables": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`, {}],
      [`{"query": "{ competition { name } }", "variables": {"a": ${"[".repeat(50_000)}${"]".repeat(50_000)}}}`, {}],
      [`{"query": "{ competition { name } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}`, {}],
    ] as [string | Buffer, Record<string, string>][]) {
      expectCodedAnswer(await post(body, headers), String(body).slice(0, 80));
    }
  });

  it("variables of the wrong types", async () => {
    const operations = [
      `query($first: Int, $filter: EntryFilter) { entries(first: $first, filter: $filter) { totalCount } }`,
      `query($id: ID!) { entry(id: $id) { id title } }`,
      `mutation($input: CreateEntryInput!) { createEntry(input: $input) { id } }`,
      `mutation($id: ID!) { submitEntry(id: $id) { id } }`,
      `mutation($entryId: ID!, $files: [Upload!]!) { uploadPhotos(entryId: $entryId, files: $files) { id } }`,
      `query($slug: String, $locale: String) { exhibition(slug: $slug) { title(locale: $locale) } }`,
      `mutation($input: SubmitScoreInput!) { submitScore(input: $input) { id } }`,
    ];
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(venueId, draftId, "", "NATURE", -1, 2 ** 31, 1e308, 0.5, [], {}, [null], { venueId }),
      fc.record(
        {
          venueId: fc.constantFrom(venueId, "x"),
          theme: fc.constantFrom("NATURE", "nature", 1),
          kind: fc.constantFrom("PHOTO_SET", "SINGLE_PHOTO", {}),
          title: fc.string(),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.dictionary(fc.constantFrom("first", "filter", "id", "input", "entryId", "files", "slug", "locale", "extra"), value),
        async (query, variables) => {
          expectCodedAnswer(await post(JSON.stringify({ query, variables })), { query, variables });
        },
      ),
      { numRuns: 250, seed },
    );
  });

  describe("broken multipart bodies", () => {
    const UPLOAD = `mutation($e: ID!, $f: [Upload!]!) { uploadPhotos(entryId: $e, files: $f) { id } }`;
    let jpeg: Buffer;
    beforeAll(async () => {
      jpeg = fs.readFileSync(await makeJpeg({ width: 1600, height: 1200, hue: 30 }));
    });

    interface Part {
      name: string;
      filename?: string;
      type?: string;
      body: Buffer | string;
    }
    const boundary = `----adversarial${randomBytes(6).toString("hex")}`;
    const encode = (parts: Part[], close = true) =>
      Buffer.concat([
        ...parts.flatMap((part) => [
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ""}\r\n` +
              (part.type ? `Content-Type: ${part.type}\r\n` : "") +
              "\r\n",
          ),
          Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body),
          Buffer.from("\r\n"),
        ]),
        Buffer.from(close ? `--${boundary}--\r\n` : ""),
      ]);
    const send = (body: Buffer, headers: Record<string, string> = {}) =>
      rawRequest(system.gatewayUrl, body, {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "apollo-require-preflight": "true",
        authorization: `Bearer ${venueToken}`,
        ...headers,
      });
    const operations = () => JSON.stringify({ query: UPLOAD, variables: { e: draftId, f: [null] } });
    const map = (paths: Record<string, string[]> = { 0: ["variables.f.0"] }) => JSON.stringify(paths);
    const file = (name = "0"): Part => ({ name, filename: "photo.jpg", type: "image/jpeg", body: jpeg });

    const cases: [string, () => Buffer][] = [
      [
        "a map pointing at a missing file",
        () =>
          encode([
            { name: "operations", body: operations() },
            { name: "map", body: map() },
          ]),
      ],
      [
        "a map pointing at a missing file among others",
        () => encode([{ name: "operations", body: operations() }, { name: "map", body: map({ 0: ["variables.f.0"], 1: ["variables.f.1"] }) }, file("0")]),
      ],
      ["a file part with no operations", () => encode([file("0")])],
      ["a file part before operations and map", () => encode([file("0"), { name: "operations", body: operations() }, { name: "map", body: map() }])],
      ["no map", () => encode([{ name: "operations", body: operations() }, file("0")])],
      [
        "duplicate operations fields",
        () => encode([{ name: "operations", body: operations() }, { name: "operations", body: operations() }, { name: "map", body: map() }, file("0")]),
      ],
      ["a map path outside the variables", () => encode([{ name: "operations", body: operations() }, { name: "map", body: map({ 0: ["query"] }) }, file("0")])],
      [
        "a map path into nothing",
        () => encode([{ name: "operations", body: operations() }, { name: "map", body: map({ 0: ["variables.nope.deeper.0"] }) }, file("0")]),
      ],
      ["a map that is not an object", () => encode([{ name: "operations", body: operations() }, { name: "map", body: "[1,2,3]" }, file("0")])],
      ["operations that are not JSON", () => encode([{ name: "operations", body: "{ query: nope" }, { name: "map", body: map() }, file("0")])],
      [
        "invalid UTF-8 in operations",
        () =>
          encode([
            { name: "operations", body: Buffer.concat([Buffer.from('{"query":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('","variables":{}}')]) },
            { name: "map", body: map() },
            file("0"),
          ]),
      ],
      [
        "a truncated body",
        () =>
          encode(
            [
              { name: "operations", body: operations() },
              { name: "map", body: map() },
              { ...file("0"), body: jpeg.subarray(0, 5000) },
            ],
            false,
          ),
      ],
      ["an empty body", () => Buffer.alloc(0)],
      ["garbage", () => randomBytes(4096)],
    ];

    it.each(cases)("%s → coded refusal, nothing stored", async (_name, body) => {
      const before = filesUnder(system.mediaRoot).filter((item) => !item.startsWith(".tmp"));
      expectCodedAnswer(await send(body()), _name);
      expect(await bufferedUploadsGone()).toEqual([]);
      expect(filesUnder(system.mediaRoot).filter((item) => !item.startsWith(".tmp"))).toEqual(before);
    });

    it("a duplicate file part, or a file name that is not UTF-8, does not matter: the mapped file is judged by its content", async () => {
      const duplicate = await send(encode([{ name: "operations", body: operations() }, { name: "map", body: map() }, file("0"), file("0")]));
      expectCodedAnswer(duplicate, "duplicate file names");
      const badName = await send(
        encode([
          { name: "operations", body: operations() },
          { name: "map", body: map() },
          { ...file("0"), filename: Buffer.from([0xff, 0xfe, 0x2e, 0x6a]).toString("latin1") },
        ]),
      );
      expectCodedAnswer(badName, "invalid UTF-8 in the file name");
      // graphql-upload used to keep the first of two same-named parts on disk for good (fixed in lib/multipart-requests).
      expect(await bufferedUploadsGone()).toEqual([]);
    });

    it("random corruptions of a valid upload (truncation, flipped bytes, shuffled parts)", async () => {
      const valid = () => [
        { name: "operations", body: operations() },
        { name: "map", body: map() },
        { ...file("0"), body: jpeg.subarray(0, 20_000) },
      ];
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
        fc.record({ kind: fc.constant("flip" as const), at: fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), byte: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant("shuffle" as const), order: fc.shuffledSubarray([0, 1, 2], { minLength: 0, maxLength: 3 }) }),
      );
      await fc.assert(
        fc.asyncProperty(mutation, async (change) => {
          let body: Buffer;
          if (change.kind === "shuffle") body = encode(change.order.map((index) => valid()[index]));
          else {
            body = Buffer.from(encode(valid()));
            if (change.kind === "truncate") body = body.subarray(0, change.at % body.length);
            else for (const at of change.at) body[at % body.length] = change.byte;
          }
          expectCodedAnswer(await send(body), change);
          expect(await bufferedUploadsGone()).toEqual([]);
        }),
        { numRuns: 60, seed },
      );
    });

    it("leaves no half-received file and keeps both services up", async () => {
      // Give the subgraph a moment to clean up uploads the client abandoned.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const temporary = path.join(system.mediaRoot, ".tmp");
      expect(filesUnder(temporary)).toEqual([]);
      const rows: { key: string }[] = await system.dataSources.entries.query(`SELECT original_key AS key FROM entries.photo WHERE entry_id = $1`, [draftId]);
      const stored = new Set(filesUnder(system.mediaRoot));
      for (const row of rows) expect(stored.has(row.key)).toBe(true);
      expect(
        (
          await graphql(
            system.gatewayUrl,
            `
              {
                competition {
                  name
                }
              }
            `,
          )
        ).errors,
      ).toBeUndefined();
    });
  });
});
