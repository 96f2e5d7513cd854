// Serves the GraphiQL explorer at /explorer from files installed with npm (no CDN), so it works offline and behind firewalls.
import fs from "node:fs";
import path from "node:path";
import { ApolloGateway } from "@apollo/gateway";
import express from "express";
import { introspectionFromSchema } from "graphql";
import { config } from "../../lib/config";
import { PROJECT_ROOT, SUPERGRAPH_PATH } from "../../lib/paths";
import { loadExampleOperations } from "./example-operations";

/** Prebuilt browser bundles shipped inside the npm packages; React 18 is the last React with UMD builds GraphiQL 3 loads. */
const VENDOR_FILES: Record<string, [packageName: string, file: string]> = {
  "react.js": ["react", "umd/react.production.min.js"],
  "react-dom.js": ["react-dom", "umd/react-dom.production.min.js"],
  "graphiql.js": ["graphiql", "graphiql.min.js"],
  "graphiql.css": ["graphiql", "graphiql.min.css"],
};

/** A file inside an installed package; resolved from its package.json because the packages' "exports" do not list UMD files. */
function packagedFile([packageName, file]: [string, string]): string {
  return path.join(path.dirname(require.resolve(`${packageName}/package.json`)), file);
}
const OWN_FILES_DIR = path.join(PROJECT_ROOT, "gateway", "explorer", "public");

// Only our own origin: proves at the browser that nothing loads from a CDN. GraphiQL sets inline styles, hence 'unsafe-inline' for styles.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/**
 * The public API schema (the supergraph minus @inaccessible parts), as the gateway serves it, built without any network.
 * Exported for the schema documentation test.
 */
export async function loadApiSchema() {
  const gateway = new ApolloGateway({ supergraphSdl: fs.readFileSync(SUPERGRAPH_PATH, "utf8") });
  const { schema } = await gateway.load();
  await gateway.stop();
  return schema;
}

/** Registers /explorer (and GET /graphql from a browser) when the explorer is on; adds nothing when it is off. */
export function registerExplorer(app: express.Express): void {
  if (!config().explorer) return;
  // The docs pane reads this instead of an introspection query, so it works even where introspection is off (production).
  const schemaJson = loadApiSchema().then((schema) => JSON.stringify(introspectionFromSchema(schema, { descriptions: true })));
  schemaJson.catch(() => undefined); // a failure is reported when the explorer asks for it

  const page = (response: express.Response, file: string, type: string) => {
    response.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
    response.type(type).sendFile(file, { maxAge: "5m" });
  };
  app.get("/explorer", (_request, response) => page(response, path.join(OWN_FILES_DIR, "index.html"), "html"));
  app.get("/explorer/app.js", (_request, response) => page(response, path.join(OWN_FILES_DIR, "app.js"), "js"));
  app.get("/explorer/app.css", (_request, response) => page(response, path.join(OWN_FILES_DIR, "app.css"), "css"));
  app.get("/explorer/vendor/:file", (request, response) => {
    const packaged = VENDOR_FILES[String(request.params.file)];
    if (!packaged) {
      response.status(404).end();
      return;
    }
    response.type(path.extname(packaged[1])).sendFile(packagedFile(packaged), { maxAge: "1d" });
  });
  app.get("/explorer/schema.json", async (_request, response) => {
    response.type("json").send(await schemaJson);
  });
  app.get("/explorer/examples.json", (_request, response) => {
    response.json(loadExampleOperations());
  });
  // A browser opening the API URL lands on the explorer; clients sending GraphQL over GET still reach Apollo.
  app.get("/graphql", (request, response, next) => {
    const wantsPage = request.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
    if (wantsPage && request.query.query === undefined) response.redirect(302, "/explorer");
    else next();
  });
}
