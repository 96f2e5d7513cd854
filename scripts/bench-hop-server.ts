// The floor of one federated hop on this machine, for npm run bench: a bare Apollo Server 5 subgraph on express 5
// (the stack every service runs on) answering `{ __typename }`, with nothing of the project around it.
// Started by npm run bench as its own process: node dist/scripts/bench-hop-server.js <port>
import http from "node:http";
import express from "express";
import { parse } from "graphql";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import { buildSubgraphSchema } from "@apollo/subgraph";

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const server = new ApolloServer({
    schema: buildSubgraphSchema([{ typeDefs: parse(`type Query { hello: String }`), resolvers: { Query: { hello: () => "hello" } } }]),
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
    stopOnTerminationSignals: false,
  });
  await server.start();
  const app = express();
  let served = 0;
  app.get("/metrics", (_request, response) => {
    const cpu = process.cpuUsage();
    response.json({
      service: "hop",
      graphqlRequests: served,
      sqlStatements: 0,
      cpuUserMicros: cpu.user,
      cpuSystemMicros: cpu.system,
      rssBytes: process.memoryUsage.rss(),
    });
  });
  app.use(
    "/graphql",
    (_request, _response, next) => {
      served += 1;
      next();
    },
    express.json(),
    expressMiddleware(server),
  );
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  httpServer.listen(port, "127.0.0.1");
  process.on("SIGTERM", () => httpServer.close(() => process.exit(0)));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
