// npm start and the test setup's embedded PostgreSQL: a checkout in a private folder (run as root) works from a
// folder the postgres user can reach; Ctrl-C stops the services first and the database last, losing nothing.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { folderBlockingOthers, reachableClusterDir } from "../../lib/embedded-postgres";
import { PROJECT_ROOT } from "../../lib/paths";
import { freePortBlock } from "../../lib/free-ports";

const isRoot = process.getuid?.() === 0;

/**
 * Runs startEmbeddedPostgres in a child process (jest cannot load the ESM embedded-postgres package in its sandbox)
 * and hands its URL and folder to `use`; the child stops the server when its standard input closes.
 */
async function withEmbeddedPostgres<T>(
  directory: string,
  port: number,
  database: string,
  use: (started: { url: string; directory: string }) => Promise<T>,
): Promise<T> {
  const script = `require("./lib/embedded-postgres").startEmbeddedPostgres(${JSON.stringify(directory)}, ${port}, ${JSON.stringify(database)}).then(
    (db) => { process.stdout.write(JSON.stringify({ url: db.url, directory: db.directory }) + "\\n"); process.stdin.on("data", () => {}); process.stdin.on("end", () => db.stop().then(() => process.exit(0))); },
    (error) => { process.stderr.write(error.message); process.exit(1); });`;
  const child = spawn(process.execPath, ["-r", path.join(PROJECT_ROOT, "tests/kit/ts-register.js"), "-e", script], {
    cwd: PROJECT_ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, LOG_LEVEL: "error" },
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    const started = await new Promise<{ url: string; directory: string }>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("\n")) resolve(JSON.parse(stdout.split("\n")[0]));
      });
      void exited.then((code) => reject(new Error(`the embedded PostgreSQL did not start (${code}): ${stderr}`)));
    });
    return await use(started);
  } finally {
    child.stdin!.end();
    const code = await exited;
    // eslint-disable-next-line no-unsafe-finally -- a child that did not stop cleanly is the failure to report, even over the test's own
    if (code !== 0) throw new Error(`the embedded PostgreSQL child failed (${code}): ${stderr}`);
  }
}

describe("the embedded PostgreSQL folder", () => {
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it("finds the private folder (0700) on the way to the cluster, and none once it is open", () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-private-"));
    folders.push(parent);
    fs.chmodSync(parent, 0o700);
    expect(folderBlockingOthers(path.join(parent, "checkout", ".data", "postgres"))).toBe(parent);
    fs.chmodSync(parent, 0o755);
    expect(folderBlockingOthers(path.join(parent, "checkout", ".data", "postgres"))).toBeUndefined();
  });

  it("keeps one fallback place per asked folder, outside it", () => {
    const asked = "/root/image-china/.data/postgres";
    expect(reachableClusterDir(asked)).toBe(reachableClusterDir(asked));
    expect(reachableClusterDir(asked)).not.toBe(reachableClusterDir("/root/other/.data/postgres"));
    expect(reachableClusterDir(asked).startsWith("/root")).toBe(false);
  });

  (isRoot ? it : it.skip)("as root, starts from a 0700 folder by keeping the cluster where the postgres user can reach it", async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-private-"));
    folders.push(parent);
    fs.chmodSync(parent, 0o700);
    // The cluster's own parent (.data) is opened by the launcher; the private folder above it is the checkout's.
    const asked = path.join(parent, "checkout", ".data", "postgres");
    await withEmbeddedPostgres(asked, await freePortBlock(1), "private_folder", async (database) => {
      folders.push(database.directory);
      expect(database.directory).toBe(reachableClusterDir(asked));
      const client = new Client({ connectionString: database.url });
      await client.connect();
      expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      await client.end();
    });
  });
});

describe("npm start and Ctrl-C", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-start-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("stops the services first (the gateway flushes API usage) and the embedded PostgreSQL last, with no connection errors", async () => {
    const port = await freePortBlock(5);
    const postgresPort = await freePortBlock(1);
    // Like a terminal: the child leads its own process group, and Ctrl-C (SIGINT) goes to the whole group.
    const child = spawn(process.execPath, ["-r", path.join(PROJECT_ROOT, "tests/kit/ts-register.js"), path.join(PROJECT_ROOT, "scripts/start.ts")], {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "development",
        LOG_LEVEL: "warn",
        PORT: String(port),
        EMBEDDED_POSTGRES_PORT: String(postgresPort),
        DATA_DIR: dataDir,
        DEMO_DATA: "false",
        USAGE_FLUSH_MS: "600000",
        TEST_DATABASE_URL: "",
        DATABASE_URL: "",
        REDIS_URL: "",
        OTEL_EXPORTER_OTLP_ENDPOINT: "",
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const check = () => (stdout.includes("is ready") ? resolve() : undefined);
        child.stdout!.on("data", check);
        void exited.then((code) => reject(new Error(`npm start exited (${code}) before it was ready: ${stderr.slice(-2000)}`)));
      });
      const gateway = `http://127.0.0.1:${port}/graphql`;
      const requests = 7;
      for (let index = 0; index < requests; index += 1) {
        const response = await fetch(gateway, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ competition { themes { code } } }" }),
        });
        expect(response.status).toBe(200);
      }
      process.kill(-child.pid!, "SIGINT");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
    }
    // Nothing failed while stopping: no refused or terminated database connections, no failed usage flush.
    expect(stderr).not.toMatch(/ECONNREFUSED|terminating connection|could not report API usage|Connection terminated/);

    // The usage counted in memory reached the database before it stopped.
    await withEmbeddedPostgres(path.join(dataDir, "postgres"), await freePortBlock(1), "image_china", async (database) => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query(`SELECT coalesce(sum(requests), 0)::int AS requests FROM venues.api_usage WHERE client_id = 'anonymous'`);
      await client.end();
      expect(rows[0].requests).toBe(7);
    });
  }, 300_000);
});
