// Baseline B-static for npm run bench: the gateway's own answer bytes (read once from a file) served by a bare
// node:http handler to every request: the ceiling a cached page could reach on this machine, with nothing computed.
// Started by npm run bench as its own process: node dist/scripts/bench-static-server.js <port> <file>
import fs from "node:fs";
import http from "node:http";

const port = Number(process.argv[2]);
const body = fs.readFileSync(process.argv[3]);
let served = 0;
const server = http.createServer((request, response) => {
  if (request.url === "/metrics") {
    const cpu = process.cpuUsage();
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify({
        service: "static",
        graphqlRequests: served,
        sqlStatements: 0,
        cpuUserMicros: cpu.user,
        cpuSystemMicros: cpu.system,
        rssBytes: process.memoryUsage.rss(),
      }),
    );
    return;
  }
  // Read the request body as the gateway must, then answer the bytes.
  request.resume();
  request.on("end", () => {
    served += 1;
    response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": body.length });
    response.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
