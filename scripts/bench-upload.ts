// Measures a ~200 MB micro-video upload through the gateway: peak memory growth of the gateway and the
// entries subgraph (separate processes), and throughput beside a plain copy of the same file.
// npm run bench:upload [-- --mb 200]
import "reflect-metadata";
import { ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ffmpegInstaller from "@ffmpeg-installer/ffmpeg";
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
import { multipartBody, postMultipart } from "../gateway/upload-forwarding";
import Upload from "graphql-upload/Upload.mjs";

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
  await execFileAsync(ffmpegInstaller.path, [
    "-y", "-loglevel", "error", "-f", "lavfi", "-i", `testsrc=duration=${seconds}:size=640x360:rate=25`,
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    "-b:v", `${kbps}k`, "-minrate", `${kbps}k`, "-maxrate", `${kbps}k`, "-bufsize", `${kbps}k`, "-x264-params", "nal-hrd=cbr:filler=1",
    "-movflags", "+faststart", file,
  ], { maxBuffer: 1024 * 1024 });
  return file;
}

function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

function startService(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [path.join(PROJECT_ROOT, "dist", script)], { env, stdio: ["ignore", "inherit", "inherit"] });
}

async function waitReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready`);
}

/** A resolved graphql-upload Upload for a local file, so the gateway's own multipart writer can send it. */
function fileUpload(file: string): Upload {
  const upload = new Upload();
  upload.resolve({ filename: path.basename(file), mimetype: "video/mp4", encoding: "7bit", createReadStream: () => fs.createReadStream(file) } as never);
  return upload;
}

async function main(): Promise<void> {
  const megabytes = argument("mb", 200);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-bench-upload-"));
  fs.chmodSync(work, 0o755);
  const database = await startEmbeddedPostgres(path.join(work, "postgres"), 54700 + Math.floor(Math.random() * 200));
  const children: ChildProcess[] = [];
  try {
    // Schemas and the minimal data: one organisation, one venue, an open competition.
    const venues = await openDatabase({ schema: "venues", url: database.url, entities: subgraphDefinitions.venues!.entities, migrations: migrationsBySubgraph.venues });
    const entries = await openDatabase({ schema: "entries", url: database.url, entities: subgraphDefinitions.entries!.entities, migrations: migrationsBySubgraph.entries });
    const organization = await venues.getRepository(Organization).save({ name: "Bench", kind: OrganizationKind.ASSOCIATION, country: "PT", website: null });
    const venue = await venues.getRepository(Venue).save({ code: "BENCH-01", name: "Bench", kind: VenueKind.STATION, region: Region.OVERSEAS, country: "PT", city: null, organizationId: organization.id, divisionId: null });
    const competition = await entries.getRepository(Competition).save({ name: "Bench", submissionOpensAt: new Date(Date.now() - 86_400_000), submissionClosesAt: new Date(Date.now() + 86_400_000) });
    await entries.getRepository(Theme).save(THEME_CODES.map((code, index) => ({ competitionId: competition.id, code, nameText: { en: code }, descriptionText: {}, position: index })));
    await venues.destroy();
    await entries.destroy();

    process.stdout.write(`generating a ${megabytes} MB video…\n`);
    const video = await makeBigVideo(work, megabytes);
    const bytes = fs.statSync(video).size;

    const port = 4600 + Math.floor(Math.random() * 100) * 5;
    const env = { ...process.env, DATABASE_URL: database.url, PORT: String(port), MEDIA_ROOT: path.join(work, "media"), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn", NODE_ENV: "development" };
    children.push(startService("subgraphs/venues/index.js", env), startService("subgraphs/entries/index.js", env), startService("gateway/index.js", env));
    const [, entriesProcess, gatewayProcess] = children;
    await waitReady(`http://127.0.0.1:${port + 2}/ready`);
    await waitReady(`http://127.0.0.1:${port}/health`);
    const gatewayUrl = `http://127.0.0.1:${port}/graphql`;

    const token = signToken({ sub: "bench", role: Role.VENUE, org: organization.id, venues: [venue.id] }).token;
    const created = await fetch(gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `mutation($input: CreateEntryInput!) { createEntry(input: $input) { id } }`,
        variables: { input: { venueId: venue.id, theme: "EXCHANGES", kind: "MICRO_VIDEO", title: "Bench", entrant: { name: "Bench", email: "bench@example.org", country: "PT" }, consentToRules: true, consentToPublication: true, declaresNoGenerativeAi: true } },
      }),
    }).then((response) => response.json() as Promise<{ data: { createEntry: { id: string } } }>);
    const entryId = created.data.createEntry.id;

    // Plain copy of the same file, as the physical reference.
    const copyStart = process.hrtime.bigint();
    fs.copyFileSync(video, path.join(work, "copy.mp4"));
    const copySeconds = Number(process.hrtime.bigint() - copyStart) / 1e9;
    fs.rmSync(path.join(work, "copy.mp4"));

    const baseline = { gateway: rssKb(gatewayProcess.pid!), entries: rssKb(entriesProcess.pid!) };
    const peak = { ...baseline };
    const sampler = setInterval(() => {
      peak.gateway = Math.max(peak.gateway, rssKb(gatewayProcess.pid!));
      peak.entries = Math.max(peak.entries, rssKb(entriesProcess.pid!));
    }, 10);

    // The client streams the file as apollo-upload-client would, with node's http client (no read-ahead).
    const uploadStart = process.hrtime.bigint();
    const response = await postMultipart(
      gatewayUrl,
      { authorization: `Bearer ${token}`, "apollo-require-preflight": "true" },
      multipartBody(
        { query: "mutation($entryId: ID!, $file: Upload!) { uploadVideo(entryId: $entryId, file: $file) { durationSeconds width height } }", variables: { entryId, file: null } },
        [{ path: "variables.file", upload: fileUpload(video) }],
      ),
    );
    const result = JSON.parse(response.body);
    const uploadSeconds = Number(process.hrtime.bigint() - uploadStart) / 1e9;
    clearInterval(sampler);

    const mb = (kb: number) => (kb / 1024).toFixed(1);
    const throughput = bytes / 1024 / 1024 / uploadSeconds;
    const copyThroughput = bytes / 1024 / 1024 / copySeconds;
    const lines = [
      `upload of ${(bytes / 1024 / 1024).toFixed(1)} MB through the gateway: ${JSON.stringify(result)}`,
      `  time ${uploadSeconds.toFixed(2)} s, throughput ${throughput.toFixed(1)} MB/s (includes the content checks: magic bytes, ffprobe, poster frame)`,
      `  plain copy of the same file: ${copySeconds.toFixed(2)} s, ${copyThroughput.toFixed(1)} MB/s; ratio upload/copy throughput ${(throughput / copyThroughput).toFixed(2)}`,
      `  gateway RSS: baseline ${mb(baseline.gateway)} MB, peak ${mb(peak.gateway)} MB, growth ${mb(peak.gateway - baseline.gateway)} MB`,
      `  entries RSS: baseline ${mb(baseline.entries)} MB, peak ${mb(peak.entries)} MB, growth ${mb(peak.entries - baseline.entries)} MB`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    process.stdout.write(
      `${JSON.stringify({ megabytes: Number((bytes / 1048576).toFixed(1)), uploadSeconds: Number(uploadSeconds.toFixed(2)), throughputMBps: Number(throughput.toFixed(1)), copyMBps: Number(copyThroughput.toFixed(1)), gatewayGrowthMB: Number(mb(peak.gateway - baseline.gateway)), entriesGrowthMB: Number(mb(peak.entries - baseline.entries)) })}\n`,
    );
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await database.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
