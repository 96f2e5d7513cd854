// The orphan sweeper on both storages: unreferenced old objects go, referenced and young ones stay, expired uploads
// lose their bytes, missing files are reported, and only one replica sweeps at a time; in the temp folder, what a
// killed process left goes after the grace period, while a live upload's bytes and a running job's folder stay.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import { Client } from "pg";
import { config } from "../../lib/config";
import { mediaStorage } from "../../subgraphs/entries/media/media-store";
import { sweepMedia } from "../../subgraphs/entries/media/media-sweeper";
import { MediaStorage, newMediaKey } from "../../subgraphs/entries/media/storage";
import { insertUpload } from "../../subgraphs/entries/media-upload/media-upload.store";
import fs from "node:fs";
import { EntryKind, EntryStatus, MicroVideo, VideoRendition, VideoRenditionFile } from "../../subgraphs/entries/entry/entry.entity";
import { mediaTempRoot } from "../../subgraphs/entries/media/media-store";
import { workDirPrefix } from "../../subgraphs/entries/video-rendition/video-rendition.service";
import { subgraphSecretHeaders } from "../../lib/subgraph-secret";
import { seedCompetition, seedEntry } from "../kit/factories";
import { graphql, tokenFor } from "../kit/http";
import { filesUnder } from "../kit/multipart";
import { startS3Server, TestS3Server } from "../kit/s3-server";
import { startSystem, TestSystem } from "../kit/system";

const backends: [string, () => Promise<TestS3Server | undefined>][] = [
  ["local disk", async () => undefined],
  ["S3 (s3rver)", () => startS3Server()],
];

describe.each(backends)("media sweeper on %s", (_backend, startStorage) => {
  let system: TestSystem;
  let s3: TestS3Server | undefined;
  let storage: MediaStorage;

  beforeAll(async () => {
    s3 = await startStorage();
    system = await startSystem({ subgraphs: ["venues", "entries"], gateway: false, env: s3?.env ?? {} });
    await seedCompetition(system.dataSources.entries);
    storage = mediaStorage();
  });
  afterAll(async () => {
    await system?.stop();
    await s3?.stop();
  });

  async function videoEntry() {
    return seedEntry(system.dataSources.entries, {
      venueId: crypto.randomUUID(),
      organizationId: crypto.randomUUID(),
      kind: EntryKind.MICRO_VIDEO,
      status: EntryStatus.DRAFT,
    });
  }

  it("removes old unreferenced objects and expired uploads, keeps referenced and young ones, and reports missing files", async () => {
    const entries = system.dataSources.entries;
    const referenced = newMediaKey("videos", "mp4");
    const orphan = newMediaKey("videos", "mp4");
    const orphanPoster = newMediaKey("posters", "jpg");
    const poster = newMediaKey("posters", "jpg");
    const rendition = newMediaKey("renditions", "mp4");
    const orphanRendition = newMediaKey("renditions", "mp4");
    const elsewhere = `exports/${randomBytes(8).toString("hex")}.csv`;
    for (const key of [referenced, orphan, orphanPoster, poster, rendition, orphanRendition, elsewhere]) await storage.put(key, Buffer.from(key));
    // A transcode in progress: the renditions worker's temp folder under the media root is not storage to sweep.
    const workFile = path.join(config().mediaRoot, ".tmp", "uploads", "renditions", "rendition-test", "source");
    fs.mkdirSync(path.dirname(workFile), { recursive: true });
    fs.writeFileSync(workFile, "transcoding");
    const entry = await videoEntry();
    const missingKey = newMediaKey("videos", "mp4");
    await entries.getRepository(MicroVideo).save([
      {
        entryId: entry.id,
        durationSeconds: 3,
        width: 320,
        height: 240,
        contentType: "video/mp4",
        byteSize: 10,
        sha256: randomBytes(32).toString("hex"),
        videoKey: referenced,
        posterKey: poster,
      },
      {
        entryId: (await videoEntry()).id,
        durationSeconds: 3,
        width: 320,
        height: 240,
        contentType: "video/mp4",
        byteSize: 10,
        sha256: randomBytes(32).toString("hex"),
        videoKey: missingKey,
        posterKey: null,
      },
    ]);
    const [video] = await entries.getRepository(MicroVideo).findBy({ videoKey: referenced });
    await entries
      .getRepository(VideoRenditionFile)
      .save({ videoId: video.id, rendition: VideoRendition.STREAM, key: rendition, width: 320, height: 240, byteSize: 10 });
    // An abandoned upload with one part arrived, expired an hour ago.
    const uploadKey = newMediaKey("videos", "mp4");
    const storageUploadId = await storage.createMultipartUpload(uploadKey);
    await storage.uploadPart(uploadKey, storageUploadId, { partNumber: 1, offset: 0, bytes: 5 }, Readable.from([Buffer.from("12345")]));
    await insertUpload(entries.manager, {
      entryId: (await videoEntry()).id,
      objectKey: uploadKey,
      storageUploadId,
      contentType: "video/mp4",
      byteSize: 10,
      partBytes: 5,
      createdBy: "test",
      expiresAt: new Date(Date.now() - 3_600_000),
    });

    // Finished uploads stay readable until they expire; then their rows go, and an ATTACHED one's object (now the
    // entry's video) stays, while a REJECTED one's object (if its removal had failed) goes.
    const rejectedKey = newMediaKey("videos", "mp4");
    await storage.put(rejectedKey, Buffer.from("rejected"));
    for (const [objectKey, status] of [
      [referenced, "ATTACHED"],
      [rejectedKey, "REJECTED"],
    ]) {
      const finished = await insertUpload(entries.manager, {
        entryId: (await videoEntry()).id,
        objectKey,
        storageUploadId: crypto.randomUUID(),
        contentType: "video/mp4",
        byteSize: 10,
        partBytes: 5,
        createdBy: "test",
        expiresAt: new Date(Date.now() - 60_000),
      });
      await entries.query(`UPDATE entries.media_upload SET status = $2 WHERE id = $1`, [finished.id, status]);
    }

    // With a long grace period nothing young is touched, but the expired uploads go.
    const cautious = await sweepMedia(entries, storage, { graceSeconds: 3600 });
    expect(cautious).toMatchObject({ skipped: false, removedOrphans: [], expiredUploads: 3 });
    expect(await storage.exists(referenced)).toBe(true);
    expect(await storage.exists(rejectedKey)).toBe(false);
    expect(await storage.exists(orphan)).toBe(true);
    expect((await entries.query(`SELECT count(*)::int AS count FROM entries.media_upload`))[0].count).toBe(0);
    if (!s3) expect(filesUnder(path.join(config().mediaRoot, ".tmp", "multipart"))).toEqual([]);

    const report = await sweepMedia(entries, storage, { graceSeconds: 0, now: new Date(Date.now() + 1000) });
    expect(report.removedOrphans.sort()).toEqual([orphan, orphanPoster, orphanRendition].sort());
    expect(await storage.exists(orphan)).toBe(false);
    expect(await storage.exists(orphanPoster)).toBe(false);
    expect(await storage.exists(orphanRendition)).toBe(false);
    // Referenced by micro_video (video, poster) and by video_rendition.
    for (const key of [referenced, poster, rendition]) expect(await storage.exists(key)).toBe(true);
    expect(fs.existsSync(workFile)).toBe(true);
    // A prefix the sweeper does not know is never swept.
    expect(await storage.exists(elsewhere)).toBe(true);
    expect(report.missing).toEqual([expect.objectContaining({ owner: "micro_video", key: missingKey })]);
  });

  it("clears stale temp files a killed process left, and keeps a live upload's bytes, a running job's folder and young files", async () => {
    const entries = system.dataSources.entries;
    const tempRoot = mediaTempRoot();
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    /** Writes a file under the temp folder; `old` sets its last write two hours back (past the grace period). */
    const write = (relative: string, old = true) => {
      const file = path.join(tempRoot, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `left by a test: ${relative}`);
      if (old) fs.utimesSync(file, twoHoursAgo, twoHoursAgo);
      return file;
    };
    /** Sets a folder's last write back too (creating files in it moved it to now). */
    const age = (relative: string) => fs.utimesSync(path.join(tempRoot, relative), twoHoursAgo, twoHoursAgo);
    const exists = (relative: string) => fs.existsSync(path.join(tempRoot, relative));

    // A live resumable upload, opened and one part sent over HTTP, then left alone (a venue pausing for two hours).
    const entry = await videoEntry();
    const token = tokenFor({ role: "VENUE", org: entry.organizationId, venues: [entry.venueId] });
    const started = await graphql(
      system.urls.entries,
      `
        mutation ($input: StartMediaUploadInput!) {
          startMediaUpload(input: $input) {
            id
            parts {
              url
            }
          }
        }
      `,
      {
        variables: { input: { entryId: entry.id, byteSize: 1000, contentType: "video/mp4" } },
        token,
      },
    );
    expect(started.errors).toBeUndefined();
    const partUrl = new URL(started.data!.startMediaUpload.parts[0].url);
    const sent = await fetch(`${new URL(system.urls.entries).origin}${partUrl.pathname}${partUrl.search}`, {
      method: "PUT",
      body: randomBytes(1000),
      headers: subgraphSecretHeaders(),
    });
    expect(sent.status).toBe(200);
    const [{ storage_upload_id: storageUploadId }] = await entries.query(`SELECT storage_upload_id FROM entries.media_upload WHERE id = $1`, [
      started.data!.startMediaUpload.id,
    ]);
    const liveUpload = `multipart/${storageUploadId}.data`;
    // On disk the arrived bytes wait in the temp folder; on S3 they are in the bucket, and nothing is local.
    if (!s3) {
      expect(exists(liveUpload)).toBe(true);
      age(liveUpload);
    }

    // A running rendition job: its lease held (set here, so no worker takes it), its folder untouched for two hours.
    const video = await entries.getRepository(MicroVideo).save({
      entryId: (await videoEntry()).id,
      durationSeconds: 3,
      width: 320,
      height: 240,
      contentType: "video/mp4",
      byteSize: 10,
      sha256: randomBytes(32).toString("hex"),
      videoKey: newMediaKey("videos", "mp4"),
      posterKey: null,
    });
    const [{ lease_id: leaseId }] = await entries.query(
      `INSERT INTO entries.video_rendition_job (video_id, attempts, lease_id, next_attempt_at) VALUES ($1, 1, gen_random_uuid(), now() + interval '1 hour') RETURNING lease_id`,
      [video.id],
    );
    const liveJob = `uploads/renditions/${workDirPrefix(leaseId)}Ab12Cd`;
    write(`${liveJob}/source`);
    age(liveJob);
    // Folders of jobs whose lease is gone: one untouched for two hours (its process was killed), and one where a
    // worker that lost its lease is still writing.
    const deadJob = `uploads/renditions/${workDirPrefix(crypto.randomUUID())}Ef34Gh`;
    write(`${deadJob}/source`);
    write(`${deadJob}/STREAM.mp4`);
    age(deadJob);
    const stillWriting = `uploads/renditions/${workDirPrefix(crypto.randomUUID())}Ij56Kl`;
    write(`${stillWriting}/source`);
    write(`${stillWriting}/STREAM.mp4`, false);
    age(stillWriting);
    // What killed requests leave: an atomic write's temp file, a received upload, an S3 download, a disk multipart
    // upload whose row never committed; and a young upload still arriving.
    const strays = [
      `${crypto.randomUUID()}.part`,
      `uploads/upload-${crypto.randomUUID()}.part`,
      `uploads/s3-copy-${crypto.randomUUID()}`,
      `multipart/${crypto.randomUUID()}.data`,
    ];
    for (const stray of strays) write(stray);
    const arriving = `uploads/upload-${crypto.randomUUID()}.part`;
    write(arriving, false);

    const report = await sweepMedia(entries, storage, { graceSeconds: 3600, tempRoot });
    expect(report.removedTempFiles.sort()).toEqual([...strays, deadJob].sort());
    for (const removed of [...strays, deadJob]) expect([removed, exists(removed)]).toEqual([removed, false]);
    for (const kept of [liveJob, `${liveJob}/source`, stillWriting, arriving, ...(s3 ? [] : [liveUpload])]) expect([kept, exists(kept)]).toEqual([kept, true]);
    // The folders others write into stay, even when empty.
    expect(exists("multipart") && exists("uploads/renditions")).toBe(true);

    // What kept them was the live rows: once the job and the upload are gone, their leftovers go too.
    await entries.query(`DELETE FROM entries.video_rendition_job WHERE video_id = $1`, [video.id]);
    await entries.query(`DELETE FROM entries.media_upload WHERE storage_upload_id = $1`, [storageUploadId]);
    const after = await sweepMedia(entries, storage, { graceSeconds: 3600, tempRoot });
    expect(after.removedTempFiles.sort()).toEqual([liveJob, ...(s3 ? [] : [liveUpload])].sort());
    expect(exists(liveJob)).toBe(false);
    expect(exists(arriving)).toBe(true);
  });

  it("does nothing while another replica holds the sweep lock", async () => {
    const orphan = newMediaKey("photos", "jpg");
    await storage.put(orphan, Buffer.from("orphan"));
    const other = new Client({ connectionString: system.databaseUrl });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtextextended('entries.media-sweeper', 0))`);
      // The temp folder is this machine's own: it is cleared whoever holds the lock.
      const stray = path.join(mediaTempRoot(), "uploads", `upload-${crypto.randomUUID()}.part`);
      fs.mkdirSync(path.dirname(stray), { recursive: true });
      fs.writeFileSync(stray, "left by a killed request");
      const report = await sweepMedia(system.dataSources.entries, storage, { graceSeconds: 0, now: new Date(Date.now() + 1000), tempRoot: mediaTempRoot() });
      expect(report.skipped).toBe(true);
      expect(await storage.exists(orphan)).toBe(true);
      expect(report.removedTempFiles).toContain(path.relative(mediaTempRoot(), stray));
      expect(fs.existsSync(stray)).toBe(false);
    } finally {
      await other.end();
    }
    const after = await sweepMedia(system.dataSources.entries, storage, { graceSeconds: 0, now: new Date(Date.now() + 1000) });
    expect(after.removedOrphans).toContain(orphan);
  });
});
