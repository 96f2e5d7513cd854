// The orphan sweeper on both storages: unreferenced old objects go, referenced and young ones stay, expired uploads
// lose their bytes, missing files are reported, and only one replica sweeps at a time.
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
import { seedCompetition, seedEntry } from "../kit/factories";
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
    return seedEntry(system.dataSources.entries, { venueId: crypto.randomUUID(), organizationId: crypto.randomUUID(), kind: EntryKind.MICRO_VIDEO, status: EntryStatus.DRAFT });
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
      { entryId: entry.id, durationSeconds: 3, width: 320, height: 240, contentType: "video/mp4", byteSize: 10, sha256: randomBytes(32).toString("hex"), videoKey: referenced, posterKey: poster },
      { entryId: (await videoEntry()).id, durationSeconds: 3, width: 320, height: 240, contentType: "video/mp4", byteSize: 10, sha256: randomBytes(32).toString("hex"), videoKey: missingKey, posterKey: null },
    ]);
    const [video] = await entries.getRepository(MicroVideo).findBy({ videoKey: referenced });
    await entries.getRepository(VideoRenditionFile).save({ videoId: video.id, rendition: VideoRendition.STREAM, key: rendition, width: 320, height: 240, byteSize: 10 });
    // An abandoned upload with one part arrived, expired an hour ago.
    const uploadKey = newMediaKey("videos", "mp4");
    const storageUploadId = await storage.createMultipartUpload(uploadKey);
    await storage.uploadPart(uploadKey, storageUploadId, { partNumber: 1, offset: 0, bytes: 5 }, Readable.from([Buffer.from("12345")]));
    await insertUpload(entries.manager, {
      entryId: (await videoEntry()).id, objectKey: uploadKey, storageUploadId, contentType: "video/mp4", byteSize: 10, partBytes: 5, createdBy: "test", expiresAt: new Date(Date.now() - 3_600_000),
    });

    // With a long grace period nothing young is touched, but the expired upload goes.
    const cautious = await sweepMedia(entries, storage, { graceSeconds: 3600 });
    expect(cautious).toMatchObject({ skipped: false, removedOrphans: [], expiredUploads: 1 });
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

  it("does nothing while another replica holds the sweep lock", async () => {
    const orphan = newMediaKey("photos", "jpg");
    await storage.put(orphan, Buffer.from("orphan"));
    const other = new Client({ connectionString: system.databaseUrl });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtextextended('entries.media-sweeper', 0))`);
      const report = await sweepMedia(system.dataSources.entries, storage, { graceSeconds: 0, now: new Date(Date.now() + 1000) });
      expect(report.skipped).toBe(true);
      expect(await storage.exists(orphan)).toBe(true);
    } finally {
      await other.end();
    }
    const after = await sweepMedia(system.dataSources.entries, storage, { graceSeconds: 0, now: new Date(Date.now() + 1000) });
    expect(after.removedOrphans).toContain(orphan);
  });
});
