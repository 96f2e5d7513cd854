// Runs an embedded PostgreSQL in a process of its own (jest cannot load the ES module that ships the binaries):
// `node dist/tests/faults/postgres-process.js <directory> <port>` prints "READY <url>"; SIGTERM stops the
// database (a fast shutdown: connections are cut, committed data stays) and then the process.
import { startEmbeddedPostgres } from "../../lib/embedded-postgres";

async function main(): Promise<void> {
  const [directory, port] = process.argv.slice(2);
  const database = await startEmbeddedPostgres(directory, Number(port));
  process.stdout.write(`READY ${database.url}\n`);
  const stop = () => {
    database
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error) => {
  process.stderr.write(`${String(error?.stack ?? error)}\n`);
  process.exit(1);
});
