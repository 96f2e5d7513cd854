// npm run bench:abuse — the load scenario of issue #19: the services as separate processes (production settings)
// on the demo data; a branch venue creates, uploads and submits entries and a judge scores, first alone, then while
// N anonymous addresses (distinct 127.0.0.x loopback source addresses) flood the exhibition page at their
// per-address request limit. Reports authenticated p50/p95 with and without the flood (and the authenticated errors
// by kind), how many flood requests were shed (503) or refused (429) and how fast, HTTP 200 answers carrying errors
// (partial data), each process's peak RSS and CPU. Runs the whole scenario once per response-cache setting — off
// first (admission must hold without the cache), then memory (as npm start deploys it) — and writes
// bench/results/<date>-abuse.md.
//
// The operations are registered as production requires (REGISTERED_OPERATIONS_ONLY_ROLES defaults to PUBLIC and
// VENUE there): the organiser puts the exhibition page in the public safelist, the venue registers its own.
//
//   npm run bench:abuse [-- --addresses 5 --per-address 4 --rate 20 --auth-rate 10 --seconds 20 --cache off,memory --port 5600 --pg-port 55601]
//   --rate       requests per second each address sends (its per-address limit, RATE_LIMIT_PER_SECOND); 0: as fast
//                as its connections allow (each connection sends its next request when the last one is answered)
//   --env K=V    passed to every service (repeatable), e.g. --env ADMISSION_PUBLIC_CONCURRENCY=2
import "reflect-metadata";
import { ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { config, loadConfig, setConfig, SUBGRAPH_NAMES } from "../lib/config";
import { documentHash } from "../lib/document-hash";
import { startEmbeddedPostgres } from "../lib/embedded-postgres";
import { PROJECT_ROOT } from "../lib/paths";
import { startSubgraph } from "../lib/subgraph-service";
import { makeJpeg } from "../subgraphs/entries/media/fixtures";
import { subgraphDefinitions } from "../subgraphs";
import { benchMetricsFromPrometheus } from "./bench-metrics";
import { loadDemoDataIfEmpty } from "./demo-data";
import { flag } from "./scale-database";

const ADDRESSES = Number(flag("addresses", "5"));
const PER_ADDRESS = Number(flag("per-address", "4"));
const RATE = Number(flag("rate", "20"));
/**
 * Requests a second each authenticated caller (the venue, the judge) sends at most: within their own budget
 * (RATE_LIMIT_PER_SECOND, 20), as a venue's site or a judge's screen would. Unpaced on a quiet machine they ran into
 * their own 429s, which then counted as errors and as fast answers.
 */
const AUTH_RATE = Number(flag("auth-rate", "10"));
const SECONDS = Number(flag("seconds", "20"));
const CACHES = flag("cache", "off,memory").split(",");
const BASE_PORT = Number(flag("port", "5600"));
const PG_PORT = Number(flag("pg-port", "55601"));
const EXTRA_ENV = Object.fromEntries(
  process.argv.flatMap((argument, index) => (process.argv[index - 1] === "--env" ? [argument.split(/=(.*)/s).slice(0, 2)] : [])),
) as Record<string, string>;
const SERVICES = ["gateway", ...SUBGRAPH_NAMES] as const;
const portOf = (service: (typeof SERVICES)[number]) => BASE_PORT + SERVICES.indexOf(service);
const GATEWAY = `http://127.0.0.1:${portOf("gateway")}/graphql`;
const SECRETS = { JWT_SECRET: randomBytes(32).toString("hex"), SUBGRAPH_SECRET: randomBytes(32).toString("hex") };

const EXHIBITION_PAGE = `query Page($slug: String!) { exhibition(slug: $slug) { title works(first: 100) { totalCount edges { node { position caption likeCount
  entry { title creditName country venue { code name } photos { url(size: DISPLAY) } awards { tier theme } } } } } } }`;
const THEMES = `query Themes { competition { themes { code } } }`;
const CREATE_ENTRY = `mutation Create($input: CreateEntryInput!) { createEntry(input: $input) { id } }`;
const UPLOAD_PHOTOS = `mutation Upload($entryId: ID!, $files: [Upload!]!) { uploadPhotos(entryId: $entryId, files: $files) { id } }`;
const SUBMIT_ENTRY = `mutation Submit($id: ID!) { submitEntry(id: $id) { id status } }`;
const ALL_ASSIGNMENTS = `query AllAssignments { myAssignments(first: 100) { edges { node { round { id status } entry { id } } } } }`;
const ASSIGNMENTS = `query Assignments { myAssignments(first: 20) { totalCount edges { node { id entry { id title } score { value } } } } }`;
const SUBMIT_SCORE = `mutation Score($input: SubmitScoreInput!) { submitScore(input: $input) { id } }`;
const REGISTER = `mutation Register($manifest: JSON!, $publicSafelist: Boolean!) { registerOperations(manifest: $manifest, publicSafelist: $publicSafelist) { publicSafelist } }`;

interface Answer {
  /** What was asked (the authenticated loops label their requests, so errors can be told apart by operation). */
  label?: string;
  status: number;
  ms: number;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
}

const agents = new Map<string, http.Agent>();
function agentFor(localAddress: string | undefined): http.Agent {
  const key = localAddress ?? "default";
  if (!agents.has(key)) agents.set(key, new http.Agent({ keepAlive: true, maxSockets: 64, ...(localAddress ? { localAddress } : {}) }));
  return agents.get(key)!;
}

function post(body: Buffer | string, headers: Record<string, string>, localAddress?: string): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.request(
      GATEWAY,
      { method: "POST", agent: agentFor(localAddress), headers: { "content-length": String(Buffer.byteLength(body)), ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          let parsed: Answer["body"];
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            parsed = undefined;
          }
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, body: parsed });
        });
        response.on("error", () => resolve({ status: 0, ms: performance.now() - started, body: undefined }));
      },
    );
    request.on("error", () => resolve({ status: 0, ms: performance.now() - started, body: undefined }));
    request.setTimeout(60_000, () => request.destroy());
    request.end(body);
  });
}

const gql = (query: string, variables: Record<string, unknown>, token?: string, localAddress?: string) =>
  post(JSON.stringify({ query, variables }), { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, localAddress);

function upload(entryId: string, photo: Buffer, token: string): Promise<Answer> {
  const boundary = `----bench-${randomBytes(8).toString("hex")}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: UPLOAD_PHOTOS, variables: { entryId, files: [null] } })}\r\n`,
    ),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.files.0"]}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    photo,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return post(body, { "content-type": `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}`, "apollo-require-preflight": "true" });
}

/**
 * The photo with a random JPEG comment segment (COM) after its start marker: the same picture, but a file of its own.
 * The entries service refuses a file whose exact bytes were entered before (CONFLICT), as the rules require, so every
 * entry needs one.
 */
function uniquePhoto(photo: Buffer): Buffer {
  const comment = randomBytes(16);
  const header = Buffer.from([0xff, 0xfe, 0, comment.length + 2]);
  return Buffer.concat([photo.subarray(0, 2), header, comment, photo.subarray(2)]);
}

/** The data of an answer that must succeed, or an error naming what failed. */
function dataOf(what: string, answer: Answer): any {
  if (answer.status !== 200 || answer.body?.errors?.length || !answer.body?.data) {
    throw new Error(`${what} failed (HTTP ${answer.status}): ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  return answer.body.data;
}

// ---- processes ---------------------------------------------------------------------------------------------

const children: ChildProcess[] = [];
process.on("exit", () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

async function waitReady(url: string, seconds = 90): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) })
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not become ready`);
}

async function stopChildren(): Promise<void> {
  const running = children.splice(0).filter((child) => child.exitCode === null);
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          child.once("exit", () => {
            clearTimeout(killer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}

/** Each service's RSS and CPU seconds so far, from its Prometheus /metrics. */
async function processMetrics(): Promise<Record<string, { rssBytes: number; cpuSeconds: number; eventLoopLagP99Ms: number }>> {
  const result: Record<string, { rssBytes: number; cpuSeconds: number; eventLoopLagP99Ms: number }> = {};
  await Promise.all(
    SERVICES.map(async (service) => {
      const text = await fetch(`http://127.0.0.1:${portOf(service)}/metrics`, {
        headers: { "x-subgraph-secret": SECRETS.SUBGRAPH_SECRET },
        signal: AbortSignal.timeout(2000),
      })
        .then((response) => (response.ok ? response.text() : undefined))
        .catch(() => undefined);
      if (!text) return;
      const metrics = benchMetricsFromPrometheus(text);
      const lag = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
      result[service] = {
        rssBytes: metrics.rssBytes,
        cpuSeconds: (metrics.cpuUserMicros + metrics.cpuSystemMicros) / 1e6,
        eventLoopLagP99Ms: lag ? Number(lag[1]) * 1000 : NaN,
      };
    }),
  );
  return result;
}

/** The machine's busy and total CPU time (all cores), from os.cpus(). */
function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

// ---- statistics -------------------------------------------------------------------------------------------

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const round = (value: number) => (Number.isFinite(value) ? Math.round(value * 10) / 10 : null);
const latency = (answers: Answer[], p: number) =>
  round(
    percentile(
      answers.map((answer) => answer.ms),
      p,
    ),
  );

/** Groups failed answers by "operation HTTP-status CODE[/reason]", keeping the first message of each kind. */
function errorKinds(failed: Answer[]): Record<string, { count: number; sample: string }> {
  const kinds: Record<string, { count: number; sample: string }> = {};
  for (const answer of failed) {
    const error = answer.body?.errors?.[0];
    const code = error ? [error.extensions?.code, error.extensions?.reason].filter(Boolean).join("/") || "no code" : "no body";
    const kind = `${answer.label ?? "?"} ${answer.status} ${code}`;
    kinds[kind] ??= { count: 0, sample: (error?.message ?? "").slice(0, 160) };
    kinds[kind].count += 1;
  }
  return kinds;
}

interface PhaseResult {
  authenticated: {
    requests: number;
    errors: number;
    /** Errors by operation, HTTP status and error code, with one message of each kind. */
    errorsByKind: Record<string, { count: number; sample: string }>;
    p50: number | null;
    p95: number | null;
    max: number | null;
    /** p95 per operation. */
    p95ByOperation: Record<string, number | null>;
  };
  flood: {
    requests: number;
    ok: number;
    partial: number;
    /** The first error of each partial answer, by code. */
    partialKinds: Record<string, { count: number; sample: string }>;
    shed: number;
    shedP50: number | null;
    shedP95: number | null;
    shedMax: number | null;
    rateLimited: number;
    rateLimitedP95: number | null;
    okP50: number | null;
    okP95: number | null;
    /** Anything else, by HTTP status and code. */
    other: Record<string, { count: number; sample: string }>;
  };
  peakRssMb: Record<string, number>;
  /** CPU seconds each service used in the phase, per second of the phase (1 = one core busy). */
  coresUsed: Record<string, number>;
  /** The machine's busy cores over the phase (of os.cpus().length), the bench's own process included. */
  machineCoresBusy: number;
  /** The gateway's event-loop delay (p99 of its Prometheus samples, ms): p50 and worst of the 1 s samples. */
  gatewayEventLoopLagP99Ms: { median: number | null; max: number | null };
  /** This bench process's own event-loop delay p99 (ms): its latencies include it. */
  benchEventLoopDelayP99Ms: number;
  /** The machine's 1-minute load average at the phase's end (other work on the shared machine shows here). */
  loadAverage: number;
}

interface Scenario {
  venueToken: string;
  judgeToken: string;
  venueId: string;
  theme: string;
  assignments: { round: { id: string }; entry: { id: string } }[];
  photo: Buffer;
  slug: string;
}

async function prepareScenario(): Promise<Scenario> {
  const login = async (clientId: string, clientSecret: string) =>
    dataOf(
      `issueToken ${clientId}`,
      await gql(`mutation($id: String!, $secret: String!) { issueToken(clientId: $id, clientSecret: $secret) { accessToken } }`, {
        id: clientId,
        secret: clientSecret,
      }),
    ).issueToken.accessToken as string;
  const organizerToken = await login("demo-organizer", "demo-organizer-secret");
  const venueToken = await login("demo-venue", "demo-venue-secret");
  const judgeToken = await login("demo-judge", "demo-judge-secret");
  const manifest = (documents: string[]) => Object.fromEntries(documents.map((document) => [documentHash(document), document]));
  dataOf("registering the public page", await gql(REGISTER, { manifest: manifest([EXHIBITION_PAGE]), publicSafelist: true }, organizerToken));
  dataOf(
    "registering the venue's operations",
    await gql(REGISTER, { manifest: manifest([THEMES, CREATE_ENTRY, UPLOAD_PHOTOS, SUBMIT_ENTRY]), publicSafelist: false }, venueToken),
  );
  const assignments = (
    dataOf("myAssignments", await gql(ALL_ASSIGNMENTS, {}, judgeToken)).myAssignments.edges as {
      node: Scenario["assignments"][number] & { round: { status: string } };
    }[]
  )
    .map((edge) => edge.node)
    .filter((node) => node.round.status === "OPEN");
  const theme = dataOf("themes", await gql(THEMES, {}, venueToken)).competition.themes[0].code as string;
  const venueId = (JSON.parse(Buffer.from(venueToken.split(".")[1], "base64url").toString()) as { venues: string[] }).venues[0];
  const photo = fs.readFileSync(await makeJpeg({ width: 1920, height: 1280, exif: false }));
  const slug = "harmonious-co-existence";
  dataOf("the exhibition page", await gql(EXHIBITION_PAGE, { slug }));
  return { venueToken, judgeToken, venueId, theme, assignments, photo, slug };
}

async function runPhase(scenario: Scenario, flood: boolean): Promise<PhaseResult> {
  const { venueToken, judgeToken, venueId, theme, assignments, photo, slug } = scenario;
  const started = Date.now();
  const until = started + SECONDS * 1000;
  const authenticated: Answer[] = [];
  const floodAnswers: Answer[] = [];
  const peak: Record<string, number> = {};
  const gatewayLag: number[] = [];
  const sampler = setInterval(
    () =>
      void processMetrics().then((sample) => {
        Object.entries(sample).forEach(([name, { rssBytes }]) => (peak[name] = Math.max(peak[name] ?? 0, rssBytes)));
        if (sample.gateway && Number.isFinite(sample.gateway.eventLoopLagP99Ms)) gatewayLag.push(sample.gateway.eventLoopLagP99Ms);
      }),
    1000,
  );
  const ownDelay = monitorEventLoopDelay({ resolution: 10 });
  ownDelay.enable();
  const cpuBefore = await processMetrics();
  const machineBefore = machineCpu();
  const record = (label: string, answer: Answer) => {
    answer.label = label;
    authenticated.push(answer);
    return answer;
  };
  /** Waits until the caller's next request is due at AUTH_RATE a second. */
  const pacer = () => {
    let due = Date.now();
    return async () => {
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      due = Math.max(due, Date.now()) + 1000 / AUTH_RATE;
    };
  };
  const venueLoop = async () => {
    const pace = pacer();
    while (Date.now() < until) {
      await pace();
      const created = record(
        "createEntry",
        await gql(
          CREATE_ENTRY,
          {
            input: {
              venueId,
              theme,
              kind: "SINGLE_PHOTO",
              title: "Bench entry",
              entrant: { name: "Bench Person", email: `bench-${randomUUID()}@example.org`, country: "PT" },
              consentToRules: true,
              consentToPublication: true,
              declaresNoGenerativeAi: true,
              idempotencyKey: randomUUID(),
            },
          },
          venueToken,
        ),
      );
      const id = created.body?.data?.createEntry?.id;
      if (!id) continue;
      await pace();
      record("uploadPhotos", await upload(id, uniquePhoto(photo), venueToken));
      await pace();
      record("submitEntry", await gql(SUBMIT_ENTRY, { id }, venueToken));
    }
  };
  const judgeLoop = async () => {
    let index = 0;
    const pace = pacer();
    while (Date.now() < until) {
      await pace();
      record("myAssignments", await gql(ASSIGNMENTS, {}, judgeToken));
      const assignment = assignments[index++ % Math.max(1, assignments.length)];
      await pace();
      if (assignment)
        record("submitScore", await gql(SUBMIT_SCORE, { input: { roundId: assignment.round.id, entryId: assignment.entry.id, value: 7 } }, judgeToken));
    }
  };
  // One anonymous address: RATE requests a second (never more than PER_ADDRESS in flight; a request due while all
  // are busy is sent when one is answered), ignoring Retry-After as a hostile client would.
  const floodAddress = async (localAddress: string) => {
    let inFlight = 0;
    let next = Date.now();
    const sent: Promise<void>[] = [];
    while (Date.now() < until) {
      if (inFlight >= PER_ADDRESS || (RATE > 0 && Date.now() < next)) {
        await new Promise((resolve) => setTimeout(resolve, RATE > 0 ? Math.max(1, Math.min(5, next - Date.now())) : 1));
        continue;
      }
      next = Math.max(next + (RATE > 0 ? 1000 / RATE : 0), Date.now() - 1000);
      inFlight += 1;
      sent.push(
        gql(EXHIBITION_PAGE, { slug }, undefined, localAddress).then((answer) => {
          inFlight -= 1;
          floodAnswers.push(answer);
        }),
      );
    }
    await Promise.all(sent);
  };
  const loops: Promise<void>[] = [venueLoop(), judgeLoop()];
  if (flood) for (let a = 0; a < ADDRESSES; a++) loops.push(floodAddress(`127.0.0.${10 + a}`));
  await Promise.all(loops);
  clearInterval(sampler);
  ownDelay.disable();
  const elapsedSeconds = (Date.now() - started) / 1000;
  const cpuAfter = await processMetrics();
  const machineAfter = machineCpu();
  const failed = authenticated.filter((answer) => answer.status !== 200 || answer.body?.errors?.length);
  const shed = floodAnswers.filter((answer) => answer.status === 503);
  const limited = floodAnswers.filter((answer) => answer.status === 429);
  const ok = floodAnswers.filter((answer) => answer.status === 200);
  const labels = [...new Set(authenticated.map((answer) => answer.label!))];
  return {
    authenticated: {
      requests: authenticated.length,
      errors: failed.length,
      errorsByKind: errorKinds(failed),
      p50: latency(authenticated, 50),
      p95: latency(authenticated, 95),
      max: round(Math.max(...authenticated.map((answer) => answer.ms))),
      p95ByOperation: Object.fromEntries(
        labels.map((label) => [
          label,
          latency(
            authenticated.filter((answer) => answer.label === label),
            95,
          ),
        ]),
      ),
    },
    flood: {
      requests: floodAnswers.length,
      ok: ok.length,
      partial: ok.filter((answer) => answer.body?.errors?.length).length,
      partialKinds: errorKinds(ok.filter((answer) => answer.body?.errors?.length)),
      shed: shed.length,
      shedP50: latency(shed, 50),
      shedP95: latency(shed, 95),
      shedMax: shed.length ? round(Math.max(...shed.map((answer) => answer.ms))) : null,
      rateLimited: limited.length,
      rateLimitedP95: latency(limited, 95),
      okP50: latency(ok, 50),
      okP95: latency(ok, 95),
      other: errorKinds(floodAnswers.filter((answer) => ![200, 429, 503].includes(answer.status))),
    },
    peakRssMb: Object.fromEntries(Object.entries(peak).map(([name, bytes]) => [name, Math.round(bytes / 1048576)])),
    coresUsed: Object.fromEntries(
      Object.entries(cpuAfter).map(([name, { cpuSeconds }]) => [
        name,
        Math.round(((cpuSeconds - (cpuBefore[name]?.cpuSeconds ?? 0)) / elapsedSeconds) * 100) / 100,
      ]),
    ),
    loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
    gatewayEventLoopLagP99Ms: { median: round(percentile(gatewayLag, 50)), max: gatewayLag.length ? round(Math.max(...gatewayLag)) : null },
    benchEventLoopDelayP99Ms: Math.round(ownDelay.percentile(99) / 1e5) / 10,
    machineCoresBusy: Math.round(((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * os.cpus().length * 100) / 100,
  };
}

async function main(): Promise<void> {
  const benchDir = path.join(config().dataDir, "bench-abuse");
  fs.mkdirSync(benchDir, { recursive: true });
  // The demo data loader calls across subgraphs, so the in-process subgraphs listen on their real ports.
  setConfig(loadConfig({ ...process.env, DATA_DIR: benchDir, PORT: String(BASE_PORT), LOG_LEVEL: "error", DEMO_DATA: "true" }));
  const database = await startEmbeddedPostgres(path.join(benchDir, "postgres"), PG_PORT);
  const runs: { cache: string; alone: PhaseResult; flooded: PhaseResult }[] = [];
  try {
    // Migrations and demo data in this process, then the services as separate processes.
    const prepared = [];
    const dataSources = {} as Parameters<typeof loadDemoDataIfEmpty>[0];
    for (const name of SUBGRAPH_NAMES) {
      const running = await startSubgraph(subgraphDefinitions[name]!, { port: portOf(name), databaseUrl: database.url });
      prepared.push(running);
      dataSources[name] = running.dataSource;
    }
    await loadDemoDataIfEmpty(dataSources);
    for (const running of prepared) await running.stop();

    for (const cache of CACHES) {
      const env = {
        ...process.env,
        ...SECRETS,
        NODE_ENV: "production",
        DATABASE_URL: database.url,
        DATA_DIR: benchDir,
        PORT: String(BASE_PORT),
        LOG_LEVEL: "error",
        BENCH_METRICS: "on",
        PUBLIC_URL: `http://127.0.0.1:${BASE_PORT}`,
        RESPONSE_CACHE: cache,
        ...EXTRA_ENV,
      };
      for (const service of SERVICES) {
        const script = service === "gateway" ? "gateway/index.js" : `subgraphs/${service}/index.js`;
        children.push(spawn(process.execPath, [path.join(PROJECT_ROOT, "dist", script)], { env, stdio: ["ignore", "ignore", "inherit"] }));
      }
      try {
        await waitReady(`http://127.0.0.1:${portOf("gateway")}/ready`);
        const scenario = await prepareScenario();
        const alone = await runPhase(scenario, false);
        // The flood's budgets start full, as a new crowd's would.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const flooded = await runPhase(scenario, true);
        runs.push({ cache, alone, flooded });
        process.stderr.write(`cache ${cache}: ${JSON.stringify({ alone, flooded })}\n`);
      } finally {
        await stopChildren();
      }
    }
  } finally {
    await stopChildren();
    await database.stop();
  }

  const summary = {
    date: new Date().toISOString(),
    addresses: ADDRESSES,
    connectionsPerAddress: PER_ADDRESS,
    ratePerAddress: RATE,
    secondsPerPhase: SECONDS,
    env: EXTRA_ENV,
    runs,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  const rows = runs.flatMap(({ cache, alone, flooded }) =>
    (
      [
        ["alone", alone],
        ["flooded", flooded],
      ] as const
    ).map(
      ([name, phase]) =>
        `| ${cache} | ${name} | ${phase.authenticated.requests} | ${phase.authenticated.errors} | ${phase.authenticated.p50} | ${phase.authenticated.p95} | ${phase.authenticated.max} | ${phase.flood.requests} | ${phase.flood.ok} | ${phase.flood.okP50}/${phase.flood.okP95} | ${phase.flood.partial} | ${phase.flood.shed} | ${phase.flood.shedP50}/${phase.flood.shedP95}/${phase.flood.shedMax} | ${phase.flood.rateLimited} | ${phase.flood.rateLimitedP95} | ${Object.values(phase.flood.other).reduce((sum, kind) => sum + kind.count, 0)} | ${phase.gatewayEventLoopLagP99Ms.median}/${phase.gatewayEventLoopLagP99Ms.max} | ${phase.benchEventLoopDelayP99Ms} | ${phase.machineCoresBusy} | ${phase.loadAverage} |`,
    ),
  );
  const details = runs.flatMap(({ cache, alone, flooded }) =>
    (
      [
        ["alone", alone],
        ["flooded", flooded],
      ] as const
    ).map(
      ([name, phase]) =>
        `- cache ${cache}, ${name}: p95 by operation ${JSON.stringify(phase.authenticated.p95ByOperation)}; authenticated errors by kind ${JSON.stringify(phase.authenticated.errorsByKind)}; flood partial by kind ${JSON.stringify(phase.flood.partialKinds)}; flood other ${JSON.stringify(phase.flood.other)}; cores used ${JSON.stringify(phase.coresUsed)}; peak RSS MB ${JSON.stringify(phase.peakRssMb)}`,
    ),
  );
  const report = [
    `# Abuse scenario (npm run bench:abuse), ${summary.date}`,
    "",
    `Services as separate processes (NODE_ENV=production, default budgets and shares${Object.keys(EXTRA_ENV).length ? `, plus ${JSON.stringify(EXTRA_ENV)}` : ""}), demo data, on this shared ${os.cpus().length}-core machine, with the bench's own process on the same cores.`,
    `A venue creates single-photo entries, uploads one 1920×1280 JPEG to each (a file of its own) and submits them, while a judge lists assignments and scores, one request at a time each;`,
    `then the same while ${ADDRESSES} anonymous loopback addresses (127.0.0.10…) each send the exhibition page (100 works) ${RATE > 0 ? `${RATE} times a second (the per-address request limit)` : "as fast as their connections allow"}, at most ${PER_ADDRESS} at once per address, ignoring Retry-After. ${SECONDS} s per phase; once per response-cache setting (off: admission without the cache; memory: as npm start deploys it).`,
    "",
    "| cache | phase | auth requests | auth errors | auth p50 ms | auth p95 ms | auth max ms | flood requests | flood 200 | 200 p50/p95 ms | 200 with errors (partial) | shed 503 | shed p50/p95/max ms | 429 | 429 p95 ms | other | gateway loop lag p99 median/max ms | bench loop p99 ms | machine cores busy | load avg |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    ...details,
    "",
    "```json",
    JSON.stringify(summary),
    "```",
    "",
  ].join("\n");
  const out = path.join(PROJECT_ROOT, "bench", "results", flag("out", `${summary.date.slice(0, 10)}-abuse.md`));
  fs.writeFileSync(out, report);
  process.stdout.write(`report: ${out}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
