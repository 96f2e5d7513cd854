// A process killed in the middle of an upload's content checks: its check job is held by a lease in PostgreSQL, so
// another entries process takes it over once the lease runs out and the upload ends ATTACHED, with the right hash.
// The job is held at a known point (attaching, blocked on the entry's row lock this test holds) when the process is
// killed, so the kill always lands mid-check whatever the machine's speed.
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { DataSource, QueryRunner } from "typeorm";
import { EntryKind, EntryStatus } from "../../subgraphs/entries/entry/entry.entity";
import { makeVideo } from "../../subgraphs/entries/media/fixtures";
import { createTestDatabase } from "../kit/database";
import { graphql, tokenFor } from "../kit/http";
import { seedCompetition, seedEntry, seedVenue, unique } from "../kit/factories";
import { ProcessSystem, openSubgraphDatabases, waitFor } from "./support";

jest.setTimeout(180_000);

const PART_BYTES = 5 * 1024 * 1024;
const START = `mutation($input: StartMediaUploadInput!) { startMediaUpload(input: $input) { id parts { number offset byteSize url } } }`;
const COMPLETE = `mutation($id: ID!) { completeMediaUpload(uploadId: $id) { id video { id } } }`;
const STATUS = `query($id: ID!) { mediaUpload(id: $id) { status failure { code } } }`;

function put(url: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "PUT", headers: { "content-length": String(body.length) } }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode!));
    });
    request.on("error", reject);
    request.end(body);
  });
}

describe("upload checks when the process running them is killed", () => {
  let system: ProcessSystem;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  const dataSources = {} as Record<"venues" | "entries", DataSource>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-upload-checks-"));
    system = await ProcessSystem.create({
      databaseUrl: database.url,
      dataDir,
      env: {
        MEDIA_UPLOAD_PART_BYTES: String(PART_BYTES),
        MEDIA_UPLOAD_COMPLETE_WAIT_MS: "0",
        MEDIA_UPLOAD_CHECK_LEASE_MS: "2000",
        MEDIA_UPLOAD_CHECK_POLL_MS: "200",
      },
    });
    Object.assign(dataSources, await openSubgraphDatabases(database.url, ["venues", "entries"] as const));
    await seedCompetition(dataSources.entries);
    await system.start("venues");
    await system.start("entries");
    await system.start("gateway");
  }, 120_000);

  afterAll(async () => {
    await system?.stopAll();
    for (const dataSource of Object.values(dataSources)) await dataSource?.destroy();
    await database?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("takes the killed process's check over in another process and attaches the video", async () => {
    const venue = await seedVenue(dataSources.venues);
    const token = tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] });
    const entry = await seedEntry(dataSources.entries, {
      venueId: venue.id,
      organizationId: venue.organizationId,
      kind: EntryKind.MICRO_VIDEO,
      status: EntryStatus.DRAFT,
    });
    const video = fs.readFileSync(await makeVideo({ seconds: 2, width: 320, height: 240 }));
    const padding = Buffer.alloc(7 * 1024 * 1024);
    padding.writeUInt32BE(padding.length, 0);
    padding.write("free", 4, "latin1");
    Buffer.from(unique(), "latin1").copy(padding, 8);
    const file = Buffer.concat([video, padding]);

    const started = await graphql(system.url("gateway"), START, {
      token,
      variables: { input: { entryId: entry.id, byteSize: file.length, contentType: "video/mp4" } },
    });
    expect(started.errors).toBeUndefined();
    const upload = started.data!.startMediaUpload;
    for (const part of upload.parts) expect(await put(part.url, file.subarray(part.offset, part.offset + part.byteSize))).toBe(200);

    // Hold the entry's row: the job joins, hashes and probes, then waits to attach.
    const holder: QueryRunner = dataSources.entries.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM entries.entry WHERE id = $1 FOR UPDATE`, [entry.id]);
    try {
      const completed = await graphql(system.url("gateway"), COMPLETE, { token, variables: { id: upload.id } });
      expect(completed.errors).toBeUndefined();
      expect(completed.data!.completeMediaUpload.video).toBeNull();
      const blocked = await waitFor(async () => {
        const rows = await dataSources.entries.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM entries.entry WHERE id = $1 FOR UPDATE%'`,
        );
        return rows.length > 0;
      }, 60_000);
      expect(blocked).toBe(true);
      system.signal("entries", "SIGKILL");
      await system.processes.get("entries")!.exited;
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    const [left] = await dataSources.entries.query(`SELECT status, attempts FROM entries.media_upload WHERE id = $1`, [upload.id]);
    expect(left).toEqual({ status: "CHECKING", attempts: 1 });
    expect((await dataSources.entries.query(`SELECT 1 FROM entries.micro_video WHERE entry_id = $1`, [entry.id])).length).toBe(0);

    // Another process (here: a new one on the same storage) takes the job over once the lease has run out.
    await system.start("entries");
    const attached = await waitFor(
      async () => (await graphql(system.url("gateway"), STATUS, { token, variables: { id: upload.id } })).data?.mediaUpload?.status === "ATTACHED",
      60_000,
    );
    if (!attached) {
      const [row] = await dataSources.entries.query(`SELECT status, attempts, failure, lease_expires_at FROM entries.media_upload WHERE id = $1`, [upload.id]);
      throw new Error(`not attached: ${JSON.stringify(row)}\n${system.processes.get("entries")!.output()}`);
    }
    const [row] = await dataSources.entries.query(`SELECT status, attempts FROM entries.media_upload WHERE id = $1`, [upload.id]);
    expect(row).toEqual({ status: "ATTACHED", attempts: 2 });
    const [stored] = await dataSources.entries.query(`SELECT sha256, byte_size FROM entries.micro_video WHERE entry_id = $1`, [entry.id]);
    expect(stored.sha256).toBe(createHash("sha256").update(file).digest("hex"));
    expect(Number(stored.byte_size)).toBe(file.length);
  });
});
