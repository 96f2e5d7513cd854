// Tests run against a real PostgreSQL (embedded, or TEST_DATABASE_URL) and real HTTP servers.
// ESM-only packages are transformed to CommonJS because jest on Node 20 cannot require ES modules.
const esmPackages = ["graphql-upload", "fs-capacitor", "file-type", "strtok3", "token-types", "peek-readable", "@tokenizer", "uint8array-extras", "@borewit"];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { diagnostics: false }],
    "^.+\\.m?js$": ["ts-jest", { diagnostics: false, tsconfig: { allowJs: true, module: "commonjs", target: "ES2022" } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join("|")})/)`],
  globalSetup: "<rootDir>/tests/setup/global-setup.ts",
  globalTeardown: "<rootDir>/tests/setup/global-teardown.ts",
  setupFiles: ["<rootDir>/tests/setup/environment.ts"],
  testTimeout: 60_000,
  maxWorkers: 2,
};
