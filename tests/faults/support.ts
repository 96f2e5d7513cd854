// Runs the services as separate processes (node dist/…, as they are deployed), so a test can kill, stop (SIGSTOP),
// continue or SIGTERM one of them, or pull PostgreSQL away, without taking the test runner down with it.
import { ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { loadConfig, setConfig, SUBGRAPH_NAMES, SubgraphName } from "../../lib/config";
import { openDatabase } from "../../lib/database";
import { subgraphDefinitions } from "../../subgraphs";
import { freePortBlock } from "../../lib/free-ports";

const ROOT = path.resolve(__dirname, "../..");

/** This test's own connections to the given subgraphs' schemas (seeding and checks), beside the services' processes. */
export async function openSubgraphDatabases<T extends SubgraphName>(url: string, names: readonly T[]): Promise<Record<T, DataSource>> {
  const dataSources = {} as Record<T, DataSource>;
  for (const name of names) {
    const definition = subgraphDefinitions[name]!;
    dataSources[name] = await openDatabase({ schema: name, url, entities: definition.entities, migrations: definition.migrations, poolSize: 2 });
  }
  return dataSources;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 100 ms until it is true or `ms` pass; returns whether it became true. */
export async function waitFor(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await Promise.resolve(check()).catch(() => false)) return true;
    await sleep(100);
  }
  return false;
}

export type ServiceName = SubgraphName | "gateway";

export interface ServiceProcess {
  name: ServiceName;
  child: ChildProcess;
  /** The last lines it printed (for failure messages). */
  output(): string;
  /** Every "unexpected error" line it logged (kept apart: a busy outage's warnings push them out of output()). */
  unexpectedErrors(): string[];
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/** A system of separate processes: four subgraphs and the gateway, on fixed free ports, against `databaseUrl`. */
export class ProcessSystem {
  readonly env: Record<string, string>;
  readonly ports = {} as Record<ServiceName, number>;
  readonly processes = new Map<ServiceName, ServiceProcess>();

  private constructor(env: Record<string, string>) {
    this.env = env;
  }

  static async create(options: { databaseUrl: string; dataDir: string; env?: Record<string, string> }): Promise<ProcessSystem> {
    if (!fs.existsSync(path.join(ROOT, "dist/gateway/index.js"))) {
      throw new Error("The fault tests run the compiled services: run `npm run build` first (npm test does).");
    }
    // Uploads the gateway buffers (fs-capacitor, in os.tmpdir()) stay in this system's folder, where they can be counted.
    fs.mkdirSync(path.join(options.dataDir, "tmp"), { recursive: true });
    const env: Record<string, string> = {
      NODE_ENV: "test",
      TMPDIR: path.join(options.dataDir, "tmp"),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: options.dataDir,
      JWT_SECRET: `fault-tests-${randomBytes(16).toString("hex")}`,
      SUBGRAPH_SECRET: randomBytes(24).toString("hex"),
      DATABASE_POOL_SIZE: "4",
      RATE_LIMIT_PER_SECOND: "100000",
      RATE_LIMIT_BURST: "1000000",
      ADMISSION_PUBLIC_CONCURRENCY: "32",
      ADMISSION_PUBLIC_QUEUE_LENGTH: "64",
      // As in tests/kit/system.ts: tests read back what they just changed; the response cache has its own tests.
      RESPONSE_CACHE: "off",
      ...options.env,
    };
    const system = new ProcessSystem(env);
    for (const name of ["gateway", ...SUBGRAPH_NAMES] as ServiceName[]) system.ports[name] = await freePortBlock(1);
    env.PORT = String(system.ports.gateway);
    for (const name of SUBGRAPH_NAMES) {
      env[`${name.toUpperCase()}_PORT`] = String(system.ports[name]);
      env[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${system.ports[name]}/graphql`;
    }
    // This process signs the test tokens and sends the secret the way the services expect.
    setConfig(loadConfig({ ...env }));
    return system;
  }

  url(name: ServiceName): string {
    return `http://127.0.0.1:${this.ports[name]}/graphql`;
  }

  /** Starts a service and waits until its /health answers. */
  async start(name: ServiceName): Promise<ServiceProcess> {
    const script = name === "gateway" ? "dist/gateway/index.js" : `dist/subgraphs/${name}/index.js`;
    const child = spawn(process.execPath, [script], { cwd: ROOT, env: { ...process.env, ...this.env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let partial = "";
    const unexpected: string[] = [];
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-20_000);
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.includes('"unexpected error"') && unexpected.length < 50) unexpected.push(line);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
    const service: ServiceProcess = { name, child, output: () => output, unexpectedErrors: () => unexpected, exited };
    this.processes.set(name, service);
    const healthy = await waitFor(async () => (await fetch(new URL("/health", this.url(name)), { signal: AbortSignal.timeout(1000) })).ok, 60_000);
    if (!healthy) throw new Error(`${name} did not start:\n${output}`);
    return service;
  }

  async startAll(): Promise<void> {
    await Promise.all(SUBGRAPH_NAMES.map((name) => this.start(name)));
    await this.start("gateway");
  }

  /** Sends a signal to a running service. */
  signal(name: ServiceName, signal: NodeJS.Signals): void {
    this.processes.get(name)!.child.kill(signal);
  }

  /** True while the process has not exited. */
  alive(name: ServiceName): boolean {
    const child = this.processes.get(name)?.child;
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  /** SIGCONT (in case it was stopped) and SIGTERM every process, SIGKILL after 10 s. */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.processes.values()].map(async (service) => {
        if (service.child.exitCode !== null || service.child.signalCode !== null) return;
        service.child.kill("SIGCONT");
        service.child.kill("SIGTERM");
        const timer = setTimeout(() => service.child.kill("SIGKILL"), 10_000);
        await service.exited;
        clearTimeout(timer);
      }),
    );
  }
}

export interface PostgresProcess {
  url: string;
  /** Stops PostgreSQL (fast shutdown) and its process. */
  stop(): Promise<void>;
}

/** Starts (or restarts, on the same directory and port) an embedded PostgreSQL in its own process. */
export async function startPostgresProcess(directory: string, port: number): Promise<PostgresProcess> {
  const child = spawn(process.execPath, ["dist/tests/faults/postgres-process.js", directory, String(port)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited:\n${output}`));
    });
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
