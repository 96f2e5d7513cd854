// ESLint for the whole project (`npm run lint`, part of `npm test`); Prettier owns the layout, so no rule here is about
// formatting (eslint 9's and typescript-eslint's recommended sets contain none).
import fs from "node:fs";
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

// Every folder under subgraphs/ (venues, entries, judging, exhibitions), so a new subgraph is covered without an edit here.
const SUBGRAPHS = fs
  .readdirSync(new URL("subgraphs/", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * The module boundaries (house style, habit 12), checked on the import text: the project imports its own code only by
 * relative paths (no path aliases), so a path that reaches into another folder climbs out with "../" and then names it
 * (lib/clients/entries.ts is lib, not the entries subgraph: after the climb its first segment is "lib").
 * Checked with ESLint's own no-restricted-imports, so nothing has to resolve modules; it covers `import`, `import type`
 * and `export … from`, not require() or import() (the code uses those only for npm packages).
 * The registry subgraphs/index.ts, scripts/ and tests/ legitimately import everything and are not restricted.
 */
/** A relative path that climbs out of the importing folder and then enters one of `names`. */
const reachesInto = (names) => `^(\\./|(\\.\\./)+)(${names.join("|")})(/|$)`;
const boundaries = [
  ...SUBGRAPHS.map((name) => ({
    files: [`subgraphs/${name}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: reachesInto([...SUBGRAPHS.filter((other) => other !== name), "subgraphs", "gateway"]),
              message: `subgraphs/${name} may import lib/ and its own folder only: what another subgraph must know travels as an event or through lib/clients.`,
            },
            {
              // "..", "../..", "../index": a parent folder's index, i.e. the registry subgraphs/index.ts (every subgraph) or the subgraph's server entry point.
              regex: "^(\\.\\./)*\\.\\.(/index)?/?$",
              message:
                "Do not import a parent folder's index: from inside a subgraph that is the registry of every subgraph, or this subgraph's server entry point.",
            },
          ],
        },
      ],
    },
  })),
  {
    files: ["lib/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: reachesInto(["subgraphs", "gateway"]), message: "lib/ is shared by every service: it may not import a subgraph's or the gateway's code." },
          ],
        },
      ],
    },
  },
  {
    files: ["gateway/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: reachesInto(["subgraphs"]), message: "The gateway knows subgraphs through the supergraph and lib/, never by importing their code." },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    // Generated files (checked by `npm run codegen:check`), build output and local data.
    ignores: [
      "dist/",
      "coverage/",
      ".data/",
      ".test-data/",
      "bench/tmp/",
      "bench/profiles/",
      "tests/browser/screenshots/",
      "examples/client/generated.ts",
      "lib/clients/generated/",
    ],
  },
  js.configs.recommended,
  {
    // typescript-eslint's recommended set without type information: the type-checked set took about 95 s for the tree
    // on this 2-core machine (a TypeScript program for every file) against about 20 s, and `tsc --noEmit` already
    // runs in `npm test`.
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommended],
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a callback's position, an Express error handler's
      // four arguments); a rest sibling drops a property from a copy.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // The build is CommonJS, and require() is used on purpose where a module must load lazily and synchronously:
      // the OpenTelemetry SDK only when tracing is on, the ffmpeg/ffprobe packages only on platforms they cover, and
      // jest.isolateModules in tests.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // TypeORM (entities, migrations) and type-graphql (resolvers, orphaned types) type their class lists as
    // `Function`; these files pass such lists through with the libraries' own types.
    files: ["lib/database.ts", "lib/subgraph-schema.ts", "lib/subgraph-service.ts", "migrations/index.ts"],
    rules: { "@typescript-eslint/no-unsafe-function-type": "off" },
  },
  {
    // Tests and scripts read GraphQL answers, which are untyped JSON; typing each answer would add hundreds of lines
    // for no safety, since the assertions check the values. Product code (lib, gateway, subgraphs) keeps the rule.
    files: ["tests/**/*.ts", "scripts/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ignores: ["**/public/**"],
    languageOptions: { globals: globals.node },
  },
  {
    // Plain browser scripts without a build step; the explorer page loads React, ReactDOM and GraphiQL as globals, the venue site Uppy.
    files: ["**/public/**/*.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser, React: "readonly", ReactDOM: "readonly", GraphiQL: "readonly", Uppy: "readonly" } },
  },
  ...boundaries,
);
