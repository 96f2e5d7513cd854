// Lets a child node process run the TypeScript sources (node -r ./tests/kit/ts-register.js scripts/start.ts) the way
// the compiled build would, without building first: each .ts file is transpiled alone (isolatedModules, as tsc does here),
// as CommonJS with import() kept as a real dynamic import (module nodenext), like the build.
const fs = require("node:fs");
const ts = require("typescript");
const { compilerOptions } = require("../../tsconfig.json");

const options = {
  ...compilerOptions,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  sourceMap: false,
  inlineSourceMap: true,
  types: undefined,
  lib: undefined,
};
require.extensions[".ts"] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), { compilerOptions: options, fileName: filename });
  module._compile(outputText, filename);
};
