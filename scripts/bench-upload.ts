// Measures a 500 MB micro-video through the resumable path (startMediaUpload, part PUTs through the gateway,
// completeMediaUpload, then mediaUpload until the check job has ATTACHED it) on the local disk and on an
// S3-protocol server (s3rver, started here): throughput beside a plain copy of the same file in the same run, peak
// memory growth of the gateway and the entries service (separate processes), the bytes sent when the connection is
// cut at 50 % and resumed, and the time from completion to a READY rendition of a 60 s 1080p clip.
// npm run bench:upload [-- --mb 500 --parallel 3 --clip-seconds 60]
import "reflect-metadata";
import { ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ffmpegInstaller from "@ffmpeg-installer/ffmpeg";
import { makeVideo } from "../subgraphs/entries/media/fixtures";
import { Role, signToken } from "../lib/auth";
import { openDatabase } from "../lib/database";
import { startEmbeddedPostgres } from "../lib/embedded-postgres";
import { PROJECT_ROOT } from "../lib/paths";
import { subgraphDefinitions } from "../subgraphs";
import { THEME_CODES } from "../lib/themes";
import { Competition, Theme } from "../subgraphs/entries/competition/competition.entity";
import { Organization, OrganizationKind } from "../subgraphs/venues/organization/organization.entity";
import { Region, Venue, VenueKind } from "../subgraphs/venues/venue/venue.entity";
import { migrationsBySubgraph } from "../migrations";
import http from "node:http";
import S3rver from "s3rver";
import { freePortBlock } from "../lib/free-ports";

const execFileAsync = promisify(execFile);
const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};

/** Makes an MP4 of about `megabytes` (constant bitrate with filler, so the size is what we ask for). */
async function makeBigVideo(directory: string, megabytes: number): Promise<string> {
  const file = path.join(directory, `bench-${megabytes}mb.mp4`);
  const seconds = 150;
  const kbps = Math.round((megabytes * 8 * 1024) / seconds);
  await execFileAsync(
    ffmpegInstaller.path,
    [
      "-y",
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      `testsrc=duration=${seconds}:size=640x360:rate=25`,
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
      "-b:v",
      `${kbps}k`,
      "-minrate",
      `${kbps}k`,
      "-maxrate",
      `${kbps}k`,
      "-bufsize",
      `${kbps}k`,
      "-x264-params",
      "nal-hrd=cbr:filler=1",
      "-movflags",
      "+faststart",
      file,
    ],
    { maxBuffer: 1024 * 1024 },
  );
  return file;
}

/** Resident memory of a live process in KB; undefined once it has gone (the sampler must not die with it). */
function rssKb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return undefined;
  }
}

/** Services that exited while the bench ran (a crash is reported by name instead of as a failed request). */
const exitedServices: string[] = [];

function startService(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, "dist", script)], { env, stdio: ["ignore", "inherit", "inherit"] });
  child.once("exit", (code, signal) => {
    if (!stopping.has(child)) exitedServices.push(`${script} (${code ?? signal})`);
  });
  return child;
}
const stopping = new Set<ChildProcess>();

function assertServicesUp(): void {
  if (exitedServices.length) throw new Error(`a service exited during the bench: ${exitedServices.join(", ")}`);
}

/** Waits for a service to answer (up to two minutes: start-up is slow on a loaded machine), failing early if one exited. */
async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    assertServicesUp();
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(5000) })).ok) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not become ready`);
}

interface Part {
  number: number;
  offset: number;
  byteSize: number;
  url: string;
  received: boolean;
}

async function gql<T>(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const result = (await response.json()) as { data?: T; errors?: unknown[] };
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
}

/** Streams one part of the file; with cutAfter, drops the connection after that many bytes. Resolves with the bytes sent. */
function sendPart(file: string, part: Part, cutAfter?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const request = http.request(part.url, { method: "PUT", headers: { "content-length": String(part.byteSize) } }, (response) => {
      response.resume();
      response.on("end", () =>
        response.statusCode === 200 ? resolve(sent) : reject(Object.assign(new Error(`part ${part.number}: HTTP ${response.statusCode}`), { sent })),
      );
    });
    const source = fs.createReadStream(file, { start: part.offset, end: part.offset + (cutAfter ?? part.byteSize) - 1, highWaterMark: 1 << 20 });
    source.on("data", (chunk) => (sent += chunk.length));
    if (cutAfter !== undefined) {
      request.on("error", () => resolve(sent));
      source.on("end", () => request.destroy());
      source.pipe(request, { end: false });
    } else {
      request.on("error", (error) => reject(Object.assign(error, { sent })));
      source.pipe(request);
    }
  });
}

/** Parts sent again after a failure (a loaded machine drops a connection now and then), reported with the figures. */
let partRetries = 0;

/** Sends a whole part as a resumable client does: a part that fails is sent again (up to 3 times). Resolves with every byte sent. */
async function sendWholePart(file: string, part: Part): Promise<number> {
  let total = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return total + (await sendPart(file, part));
    } catch (error) {
      total += (error as { sent?: number }).sent ?? 0;
      if (attempt > 3) throw error;
      partRetries += 1;
      process.stdout.write(`part ${part.number} failed (${(error as Error).message}); sending it again\n`);
      await sleep(500 * attempt);
    }
  }
}

/** Sends the given parts, `parallel` at a time; returns the bytes sent. */
async function sendParts(file: string, parts: Part[], parallel: number): Promise<number> {
  let next = 0;
  let bytes = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, parts.length) }, async () => {
      while (next < parts.length) {
        const sent = await sendWholePart(file, parts[next++]);
        bytes += sent;
      }
    }),
  );
  return bytes;
}

const START = `mutation($input: StartMediaUploadInput!) { startMediaUpload(input: $input) { id parts { number offset byteSize url received } } }`;
const STATUS = `query($id: ID!) { mediaUpload(id: $id) { parts { number offset byteSize url received } } }`;
const COMPLETE = `mutation($id: ID!) { completeMediaUpload(uploadId: $id) { id video { durationSeconds byteSize } } }`;
const CHECKED = `query($id: ID!) { mediaUpload(id: $id) { status failure { code message } } }`;
const VIDEO_STATUS = `query($id: ID!) { entry(id: $id) { video { status failureReason renditions { rendition width height } } } }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * completeMediaUpload, then (if it answered before the checks ended) mediaUpload until ATTACHED; throws if REJECTED.
 * Resolves with the seconds until the mutation answered and until the upload was attached.
 */
async function complete(gatewayUrl: string, token: string, uploadId: string): Promise<{ answerSeconds: number; attachedSeconds: number }> {
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  const answer = await gql<{ completeMediaUpload: { video: unknown } }>(gatewayUrl, token, COMPLETE, { id: uploadId });
  const answerSeconds = seconds();
  if (answer.completeMediaUpload.video) return { answerSeconds, attachedSeconds: answerSeconds };
  for (;;) {
    assertServicesUp();
    const { mediaUpload } = await gql<{ mediaUpload: { status: string; failure: unknown } }>(gatewayUrl, token, CHECKED, { id: uploadId });
    if (mediaUpload.status === "ATTACHED") return { answerSeconds, attachedSeconds: seconds() };
    if (mediaUpload.status !== "CHECKING") throw new Error(`upload ${mediaUpload.status}: ${JSON.stringify(mediaUpload.failure)}`);
    await sleep(100);
  }
}

/** Polls the entry's video until its renditions are made (READY); throws if FAILED. */
async function videoReady(gatewayUrl: string, token: string, entryId: string): Promise<unknown> {
  for (;;) {
    assertServicesUp();
    const { entry } = await gql<{ entry: { video: { status: string; failureReason: string | null; renditions: unknown } } }>(gatewayUrl, token, VIDEO_STATUS, {
      id: entryId,
    });
    if (entry.video.status === "READY") return entry.video.renditions;
    if (entry.video.status === "FAILED") throw new Error(`renditions FAILED: ${entry.video.failureReason}`);
    await sleep(250);
  }
}

interface RunResult {
  storage: string;
  megabytes: number;
  uploadSeconds: number;
  throughputMBps: number;
  copyMBps: number;
  ratio: number;
  gatewayGrowthMB: number;
  entriesGrowthMB: number;
  resumeBytesRatio: number;
  completionAnswerSeconds: number;
  completionAttachedSeconds: number;
  clipReadySeconds: number;
  clipAttachedSeconds: number;
}

async function main(): Promise<void> {
  const megabytes = argument("mb", 500);
  const parallel = argument("parallel", 3);
  const clipSeconds = argument("clip-seconds", 60);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-bench-upload-"));
  fs.chmodSync(work, 0o755);
  const database = await startEmbeddedPostgres(path.join(work, "postgres"), 54700 + Math.floor(Math.random() * 200));
  const s3Directory = path.join(work, "s3");
  fs.mkdirSync(s3Directory);
  const s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: s3Directory, configureBuckets: [{ name: "media", configs: [] }] });
  const { port: s3Port } = await s3.run();
  const results: RunResult[] = [];
  try {
    const venues = await openDatabase({
      schema: "venues",
      url: database.url,
      entities: subgraphDefinitions.venues!.entities,
      migrations: migrationsBySubgraph.venues,
    });
    const entries = await openDatabase({
      schema: "entries",
      url: database.url,
      entities: subgraphDefinitions.entries!.entities,
      migrations: migrationsBySubgraph.entries,
    });
    const organization = await venues.getRepository(Organization).save({ name: "Bench", kind: OrganizationKind.ASSOCIATION, country: "PT", website: null });
    const venue = await venues.getRepository(Venue).save({
      code: "BENCH-01",
      name: "Bench",
      kind: VenueKind.STATION,
      region: Region.OVERSEAS,
      country: "PT",
      city: null,
      organizationId: organization.id,
      divisionId: null,
    });
    const competition = await entries
      .getRepository(Competition)
      .save({ name: "Bench", submissionOpensAt: new Date(Date.now() - 86_400_000), submissionClosesAt: new Date(Date.now() + 86_400_000) });
    await entries
      .getRepository(Theme)
      .save(THEME_CODES.map((code, index) => ({ competitionId: competition.id, code, nameText: { en: code }, descriptionText: {}, position: index })));
    await venues.destroy();

    process.stdout.write(`generating a ${megabytes} MB video…\n`);
    const video = await makeBigVideo(work, megabytes);
    const bytes = fs.statSync(video).size;
    process.stdout.write(`generating a ${clipSeconds} s 1080p clip…\n`);
    const clip = await makeVideo({ seconds: clipSeconds, width: 1920, height: 1080 });
    const token = signToken({ sub: "bench", role: Role.VENUE, org: organization.id, venues: [venue.id] }).token;

    const storages: [string, Record<string, string>][] = [
      ["local disk", {}],
      [
        "S3 (s3rver)",
        {
          MEDIA_STORAGE: "s3",
          S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
          S3_BUCKET: "media",
          S3_ACCESS_KEY_ID: "S3RVER",
          S3_SECRET_ACCESS_KEY: "S3RVER",
          S3_FORCE_PATH_STYLE: "true",
        },
      ],
    ];
    for (const [storage, storageEnv] of storages) {
      const port = await freePortBlock(5);
      const env = {
        ...process.env,
        ...storageEnv,
        DATABASE_URL: database.url,
        PORT: String(port),
        MEDIA_ROOT: path.join(work, `media-${results.length}`),
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
        NODE_ENV: "development",
        RATE_LIMIT_PER_SECOND: "10000",
        RATE_LIMIT_BURST: "10000",
      };
      const children = [startService("subgraphs/venues/index.js", env), startService("subgraphs/entries/index.js", env), startService("gateway/index.js", env)];
      try {
        const [, entriesProcess, gatewayProcess] = children;
        await waitReady(`http://127.0.0.1:${port + 2}/ready`);
        await waitReady(`http://127.0.0.1:${port}/health`);
        const gatewayUrl = `http://127.0.0.1:${port}/graphql`;
        const createEntry = async () =>
          (
            await gql<{ createEntry: { id: string } }>(gatewayUrl, token, `mutation($input: CreateEntryInput!) { createEntry(input: $input) { id } }`, {
              input: {
                venueId: venue.id,
                theme: "EXCHANGES",
                kind: "MICRO_VIDEO",
                title: "Bench",
                entrant: { name: "Bench", email: `bench-${Date.now()}@example.org`, country: "PT" },
                consentToRules: true,
                consentToPublication: true,
                declaresNoGenerativeAi: true,
              },
            })
          ).createEntry.id;

        // Plain copy of the same file, as the physical reference, just before the upload.
        const copyStart = process.hrtime.bigint();
        fs.copyFileSync(video, path.join(work, "copy.mp4"));
        const copySeconds = Number(process.hrtime.bigint() - copyStart) / 1e9;
        fs.rmSync(path.join(work, "copy.mp4"));

        const baseline = { gateway: rssKb(gatewayProcess.pid!), entries: rssKb(entriesProcess.pid!) };
        if (baseline.gateway === undefined || baseline.entries === undefined) throw new Error("a service is not running");
        const peak = { gateway: baseline.gateway, entries: baseline.entries };
        const sampler = setInterval(() => {
          peak.gateway = Math.max(peak.gateway, rssKb(gatewayProcess.pid!) ?? 0);
          peak.entries = Math.max(peak.entries, rssKb(entriesProcess.pid!) ?? 0);
        }, 10);

        // 1. The whole file, start to attached (content checks included).
        const entryId = await createEntry();
        const uploadStart = process.hrtime.bigint();
        const upload = (
          await gql<{ startMediaUpload: { id: string; parts: Part[] } }>(gatewayUrl, token, START, {
            input: { entryId, byteSize: bytes, contentType: "video/mp4" },
          })
        ).startMediaUpload;
        await sendParts(video, upload.parts, parallel);
        const partsSeconds = Number(process.hrtime.bigint() - uploadStart) / 1e9;
        const completion = await complete(gatewayUrl, token, upload.id);
        const uploadSeconds = Number(process.hrtime.bigint() - uploadStart) / 1e9;
        clearInterval(sampler);
        process.stdout.write(
          `${storage}: parts sent in ${partsSeconds.toFixed(2)} s; completeMediaUpload answered in ${completion.answerSeconds.toFixed(2)} s, attached after ${completion.attachedSeconds.toFixed(2)} s\n`,
        );

        // 2. Cut at 50 %, then resume as a client that lost its connection: ask what arrived, send the rest.
        // The bench removes the first run's video row so the same file may be entered again (duplicate rule).
        await entries.query(`DELETE FROM entries.micro_video WHERE entry_id = $1`, [entryId]);
        const secondEntry = await createEntry();
        const second = (
          await gql<{ startMediaUpload: { id: string; parts: Part[] } }>(gatewayUrl, token, START, {
            input: { entryId: secondEntry, byteSize: bytes, contentType: "video/mp4" },
          })
        ).startMediaUpload;
        let sent = 0;
        for (const part of second.parts) {
          if (part.offset + part.byteSize <= bytes / 2) {
            const whole = await sendWholePart(video, part);
            sent += whole;
          } else {
            // The connection drops in the middle of the part that crosses the half.
            const cut = await sendPart(video, part, Math.floor(bytes / 2) - part.offset);
            sent += cut;
            break;
          }
        }
        const status = (await gql<{ mediaUpload: { parts: Part[] } }>(gatewayUrl, token, STATUS, { id: second.id })).mediaUpload;
        const rest = await sendParts(
          video,
          status.parts.filter((part) => !part.received),
          parallel,
        );
        sent += rest;
        await complete(gatewayUrl, token, second.id);
        await entries.query(`DELETE FROM entries.micro_video WHERE entry_id = $1`, [secondEntry]);

        // 3. A 60 s 1080p clip: from completeMediaUpload to a READY rendition (checks, then the renditions job).
        const clipEntry = await createEntry();
        const clipBytes = fs.statSync(clip).size;
        const clipUpload = (
          await gql<{ startMediaUpload: { id: string; parts: Part[] } }>(gatewayUrl, token, START, {
            input: { entryId: clipEntry, byteSize: clipBytes, contentType: "video/mp4" },
          })
        ).startMediaUpload;
        await sendParts(clip, clipUpload.parts, parallel);
        const clipStart = process.hrtime.bigint();
        const clipCompletion = await complete(gatewayUrl, token, clipUpload.id);
        const renditions = await videoReady(gatewayUrl, token, clipEntry);
        const clipReadySeconds = Number(process.hrtime.bigint() - clipStart) / 1e9;
        process.stdout.write(
          `${storage}: ${clipSeconds} s 1080p clip READY ${clipReadySeconds.toFixed(1)} s after completion: ${JSON.stringify(renditions)}\n`,
        );
        await entries.query(`DELETE FROM entries.micro_video WHERE entry_id = $1`, [clipEntry]);

        const throughput = bytes / 1024 / 1024 / uploadSeconds;
        const copyThroughput = bytes / 1024 / 1024 / copySeconds;
        results.push({
          storage,
          megabytes: Number((bytes / 1048576).toFixed(1)),
          uploadSeconds: Number(uploadSeconds.toFixed(2)),
          throughputMBps: Number(throughput.toFixed(1)),
          copyMBps: Number(copyThroughput.toFixed(1)),
          ratio: Number((throughput / copyThroughput).toFixed(2)),
          gatewayGrowthMB: Number(((peak.gateway - baseline.gateway) / 1024).toFixed(1)),
          entriesGrowthMB: Number(((peak.entries - baseline.entries) / 1024).toFixed(1)),
          resumeBytesRatio: Number((sent / bytes).toFixed(3)),
          completionAnswerSeconds: Number(completion.answerSeconds.toFixed(2)),
          completionAttachedSeconds: Number(completion.attachedSeconds.toFixed(2)),
          clipAttachedSeconds: Number(clipCompletion.attachedSeconds.toFixed(2)),
          clipReadySeconds: Number(clipReadySeconds.toFixed(1)),
        });
        process.stdout.write(`${JSON.stringify(results[results.length - 1])}\n`);
      } finally {
        await Promise.all(
          children.map(async (child) => {
            stopping.add(child);
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = new Promise((resolve) => child.once("exit", resolve));
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
            await exited;
            clearTimeout(timer);
          }),
        );
      }
    }
    await entries.destroy();

    const lines = [
      `# Resumable upload benchmark (${new Date().toISOString().slice(0, 10)})`,
      "",
      `A ${results[0]?.megabytes} MB MP4 through startMediaUpload → part PUTs (${parallel} at a time, through the gateway) → completeMediaUpload → mediaUpload until ATTACHED (the check job: join, SHA-256, magic bytes, ffprobe, attach), beside a plain copy of the same file made in the same run. Memory: peak RSS growth of each process from the first part to ATTACHED. Resume: bytes sent in total when the connection is cut at 50 % (in the middle of a part) and the client resumes from mediaUpload. Completion: seconds until completeMediaUpload answered (it waits for the checks at most MEDIA_UPLOAD_COMPLETE_WAIT_MS, 3 s) and until ATTACHED. Clip: a ${clipSeconds} s 1920×1080 H.264 MP4 (${(fs.statSync(clip).size / 1048576).toFixed(1)} MB), seconds from completeMediaUpload to ATTACHED and to READY (renditions and poster made).`,
      "",
      "| storage | time (s) | MB/s | plain copy MB/s | ratio (goal ≥ 0.5) | gateway growth MB | entries growth MB (goal < 64) | bytes sent / file on resume (goal ≤ 1.1) | completion: answer / attached (s) | clip: attached / READY (s) |",
      "|---|---|---|---|---|---|---|---|---|---|",
      ...results.map(
        (r) =>
          `| ${r.storage} | ${r.uploadSeconds} | ${r.throughputMBps} | ${r.copyMBps} | ${r.ratio} | ${r.gatewayGrowthMB} | ${r.entriesGrowthMB} | ${r.resumeBytesRatio} | ${r.completionAnswerSeconds} / ${r.completionAttachedSeconds} | ${r.clipAttachedSeconds} / ${r.clipReadySeconds} |`,
      ),
      "",
      `Machine: ${os.cpus().length} cores (shared with other work while this ran), Node ${process.version}. Parts sent again after a dropped connection (all rows): ${partRetries}.`,
    ];
    process.stdout.write(`\n${lines.join("\n")}\n`);
    const resultsDir = path.join(PROJECT_ROOT, "bench", "results");
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(path.join(resultsDir, `${new Date().toISOString().slice(0, 10)}-upload.md`), `${lines.join("\n")}\n`);
  } finally {
    await s3.close();
    await database.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
