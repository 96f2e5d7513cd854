// npm run bench:abuse — the load scenario of issue #19: the services as separate processes (production settings)
// on the demo data; a branch venue creates, uploads and submits entries and a judge scores, first alone, then while
// N anonymous addresses (distinct 127.0.0.x loopback source addresses) flood the exhibition page at their
// per-address limit. Reports authenticated p50/p95 with and without the flood, how many flood requests were shed
// (503) or refused (429) and how fast, HTTP 200 answers carrying errors (partial data), and each process's peak RSS.
// Writes bench/results/<date>-abuse.md.
//
//   npm run bench:abuse [-- --addresses 5 --per-address 4 --seconds 20 --port 5600 --pg-port 55601]
import "reflect-metadata";
import { ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { config, loadConfig, setConfig, SUBGRAPH_NAMES } from "../lib/config";
import { startEmbeddedPostgres } from "../lib/embedded-postgres";
import { PROJECT_ROOT } from "../lib/paths";
import { startSubgraph } from "../lib/subgraph-service";
import { makeJpeg } from "../subgraphs/entries/media/fixtures";
import { subgraphDefinitions } from "../subgraphs";
import { loadDemoDataIfEmpty } from "./demo-data";
import { flag } from "./scale-database";

const ADDRESSES = Number(flag("addresses", "5"));
const PER_ADDRESS = Number(flag("per-address", "4"));
const SECONDS = Number(flag("seconds", "20"));
const BASE_PORT = Number(flag("port", "5600"));
const PG_PORT = Number(flag("pg-port", "55601"));
const SERVICES = ["gateway", ...SUBGRAPH_NAMES] as const;
const portOf = (service: (typeof SERVICES)[number]) => BASE_PORT + SERVICES.indexOf(service);
const GATEWAY = `http://127.0.0.1:${portOf("gateway")}/graphql`;
const SECRETS = { JWT_SECRET: randomBytes(32).toString("hex"), SUBGRAPH_SECRET: randomBytes(32).toString("hex") };

const EXHIBITION_PAGE = `query Page($slug: String!) { exhibition(slug: $slug) { title works(first: 100) { totalCount edges { node { position caption likeCount
  entry { title creditName country venue { code name } photos { url(size: DISPLAY) } awards { tier theme } } } } } } }`;

interface Answer {
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
  const query = `mutation($entryId: ID!, $files: [Upload!]!) { uploadPhotos(entryId: $entryId, files: $files) { id } }`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query, variables: { entryId, files: [null] } })}\r\n`,
    ),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.files.0"]}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    photo,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return post(body, { "content-type": `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}`, "apollo-require-preflight": "true" });
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

async function rss(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const service of SERVICES) {
    const metrics = await fetch(`http://127.0.0.1:${portOf(service)}/metrics`, {
      headers: { "x-subgraph-secret": SECRETS.SUBGRAPH_SECRET },
      signal: AbortSignal.timeout(2000),
    })
      .then((response) => response.json() as Promise<{ rssBytes: number }>)
      .catch(() => undefined);
    if (metrics) result[service] = metrics.rssBytes;
  }
  return result;
}

// ---- statistics -------------------------------------------------------------------------------------------

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const round = (value: number) => (Number.isFinite(value) ? Math.round(value * 10) / 10 : null);

interface PhaseResult {
  authenticated: { requests: number; errors: number; p50: number | null; p95: number | null; max: number | null };
  flood: {
    requests: number;
    ok: number;
    partial: number;
    shed: number;
    shedP50: number | null;
    shedP95: number | null;
    rateLimited: number;
    rateLimitedP95: number | null;
    okP50: number | null;
    other: number;
  };
  peakRssMb: Record<string, number>;
}

async function main(): Promise<void> {
  const benchDir = path.join(config().dataDir, "bench-abuse");
  fs.mkdirSync(benchDir, { recursive: true });
  // The demo data loader calls across subgraphs, so the in-process subgraphs listen on their real ports.
  setConfig(loadConfig({ ...process.env, DATA_DIR: benchDir, PORT: String(BASE_PORT), LOG_LEVEL: "error", DEMO_DATA: "true" }));
  const database = await startEmbeddedPostgres(path.join(benchDir, "postgres"), PG_PORT);
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
    };
    for (const service of SERVICES) {
      const script = service === "gateway" ? "gateway/index.js" : `subgraphs/${service}/index.js`;
      children.push(spawn(process.execPath, [path.join(PROJECT_ROOT, "dist", script)], { env, stdio: ["ignore", "ignore", "inherit"] }));
    }
    await waitReady(`http://127.0.0.1:${portOf("gateway")}/ready`);

    const login = async (clientId: string, clientSecret: string) =>
      (
        await gql(`mutation($id: String!, $secret: String!) { issueToken(clientId: $id, clientSecret: $secret) { accessToken } }`, {
          id: clientId,
          secret: clientSecret,
        })
      ).body!.data!.issueToken.accessToken as string;
    const venueToken = await login("demo-venue", "demo-venue-secret");
    const judgeToken = await login("demo-judge", "demo-judge-secret");
    const assignments = (await gql(`{ myAssignments(first: 100) { edges { node { round { id status } entry { id } } } } }`, {}, judgeToken))
      .body!.data!.myAssignments.edges.map((edge: { node: { round: { id: string; status: string }; entry: { id: string } } }) => edge.node)
      .filter((node: { round: { status: string } }) => node.round.status === "OPEN");
    const competition = (await gql(`{ competition { themes { code } } }`, {}, venueToken)).body?.data;
    const theme = competition?.competition?.themes?.[0]?.code ?? "EXCHANGES";
    const photo = fs.readFileSync(await makeJpeg({ width: 1920, height: 1280, exif: false }));
    const venueId = (JSON.parse(Buffer.from(venueToken.split(".")[1], "base64url").toString()) as { venues: string[] }).venues[0];
    const slug = "harmonious-co-existence";
    const warm = await gql(EXHIBITION_PAGE, { slug });
    if (warm.status !== 200 || warm.body?.errors) throw new Error(`the exhibition page does not answer: ${JSON.stringify(warm.body).slice(0, 300)}`);

    const runPhase = async (flood: boolean): Promise<PhaseResult> => {
      const until = Date.now() + SECONDS * 1000;
      const authenticated: Answer[] = [];
      const floodAnswers: Answer[] = [];
      const peak: Record<string, number> = {};
      const sampler = setInterval(
        () => void rss().then((sample) => Object.entries(sample).forEach(([name, bytes]) => (peak[name] = Math.max(peak[name] ?? 0, bytes)))),
        1000,
      );
      const venueLoop = async () => {
        while (Date.now() < until) {
          const created = await gql(
            `mutation($input: CreateEntryInput!) { createEntry(input: $input) { id } }`,
            {
              input: {
                venueId,
                theme,
                kind: "PHOTO_SET",
                title: "Bench entry",
                entrant: { name: "Bench Person", email: `bench-${randomUUID()}@example.org`, country: "PT" },
                consentToRules: true,
                consentToPublication: true,
                declaresNoGenerativeAi: true,
                idempotencyKey: randomUUID(),
              },
            },
            venueToken,
          );
          authenticated.push(created);
          const id = created.body?.data?.createEntry?.id;
          if (!id) continue;
          authenticated.push(await upload(id, photo, venueToken));
          authenticated.push(await gql(`mutation($id: ID!) { submitEntry(id: $id) { id status } }`, { id }, venueToken));
        }
      };
      const judgeLoop = async () => {
        let index = 0;
        while (Date.now() < until) {
          authenticated.push(await gql(`{ myAssignments(first: 20) { totalCount edges { node { id entry { id title } score { value } } } } }`, {}, judgeToken));
          const assignment = assignments[index++ % Math.max(1, assignments.length)];
          if (assignment)
            authenticated.push(
              await gql(
                `mutation($input: SubmitScoreInput!) { submitScore(input: $input) { id } }`,
                { input: { roundId: assignment.round.id, entryId: assignment.entry.id, value: 7 } },
                judgeToken,
              ),
            );
        }
      };
      const floodLoop = async (localAddress: string) => {
        while (Date.now() < until) floodAnswers.push(await gql(EXHIBITION_PAGE, { slug }, undefined, localAddress));
      };
      const loops: Promise<void>[] = [venueLoop(), judgeLoop()];
      if (flood) for (let a = 0; a < ADDRESSES; a++) for (let c = 0; c < PER_ADDRESS; c++) loops.push(floodLoop(`127.0.0.${10 + a}`));
      await Promise.all(loops);
      clearInterval(sampler);
      const latencies = authenticated.map((answer) => answer.ms);
      const shed = floodAnswers.filter((answer) => answer.status === 503);
      const limited = floodAnswers.filter((answer) => answer.status === 429);
      const ok = floodAnswers.filter((answer) => answer.status === 200);
      return {
        authenticated: {
          requests: authenticated.length,
          errors: authenticated.filter((answer) => answer.status !== 200 || answer.body?.errors?.length).length,
          p50: round(percentile(latencies, 50)),
          p95: round(percentile(latencies, 95)),
          max: round(Math.max(...latencies)),
        },
        flood: {
          requests: floodAnswers.length,
          ok: ok.length,
          partial: ok.filter((answer) => answer.body?.errors?.length).length,
          shed: shed.length,
          shedP50: round(
            percentile(
              shed.map((answer) => answer.ms),
              50,
            ),
          ),
          shedP95: round(
            percentile(
              shed.map((answer) => answer.ms),
              95,
            ),
          ),
          rateLimited: limited.length,
          rateLimitedP95: round(
            percentile(
              limited.map((answer) => answer.ms),
              95,
            ),
          ),
          okP50: round(
            percentile(
              ok.map((answer) => answer.ms),
              50,
            ),
          ),
          other: floodAnswers.length - ok.length - shed.length - limited.length,
        },
        peakRssMb: Object.fromEntries(Object.entries(peak).map(([name, bytes]) => [name, Math.round(bytes / 1048576)])),
      };
    };

    const alone = await runPhase(false);
    const flooded = await runPhase(true);
    const errorSample = async () => {
      const created = await gql(`mutation($input: CreateEntryInput!) { createEntry(input: $input) { id } }`, { input: { venueId } }, venueToken);
      return created.body?.errors?.[0]?.message;
    };
    void errorSample;
    const summary = {
      date: new Date().toISOString(),
      addresses: ADDRESSES,
      connectionsPerAddress: PER_ADDRESS,
      secondsPerPhase: SECONDS,
      assignments: assignments.length,
      alone,
      flooded,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    const report = [
      `# Abuse scenario (npm run bench:abuse), ${summary.date}`,
      "",
      `Services as separate processes (NODE_ENV=production, default budgets and shares), demo data, on this shared 2-core machine.`,
      `A venue creates, uploads (one 1920×1280 JPEG) and submits entries while a judge lists assignments and scores, one request at a time each;`,
      `then the same while ${ADDRESSES} anonymous loopback addresses (127.0.0.10…) each flood the exhibition page (100 works) over ${PER_ADDRESS} connections. ${SECONDS} s per phase.`,
      "",
      "| phase | auth requests | auth errors | auth p50 ms | auth p95 ms | auth max ms | flood requests | flood 200 | 200 with errors (partial) | shed 503 | shed p50/p95 ms | 429 | 429 p95 ms | other |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...(
        [
          ["alone", alone],
          ["flooded", flooded],
        ] as const
      ).map(
        ([name, phase]) =>
          `| ${name} | ${phase.authenticated.requests} | ${phase.authenticated.errors} | ${phase.authenticated.p50} | ${phase.authenticated.p95} | ${phase.authenticated.max} | ${phase.flood.requests} | ${phase.flood.ok} | ${phase.flood.partial} | ${phase.flood.shed} | ${phase.flood.shedP50}/${phase.flood.shedP95} | ${phase.flood.rateLimited} | ${phase.flood.rateLimitedP95} | ${phase.flood.other} |`,
      ),
      "",
      `Peak RSS (MB) alone: ${JSON.stringify(alone.peakRssMb)}; flooded: ${JSON.stringify(flooded.peakRssMb)}.`,
      "",
      "```json",
      JSON.stringify(summary),
      "```",
      "",
    ].join("\n");
    const out = path.join(PROJECT_ROOT, "bench", "results", `${summary.date.slice(0, 10)}-abuse.md`);
    fs.writeFileSync(out, report);
    process.stdout.write(`report: ${out}\n`);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
