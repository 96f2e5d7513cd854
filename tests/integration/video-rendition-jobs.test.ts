// The rendition queue against a real PostgreSQL: one lease per job however many workers ask, a killed worker's job
// taken up again, bounded retries with backoff ending in FAILED with a reason, shutdown handing the job back, and
// replaced files removed only after the new rows commit.
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { EntryKind, MediaStatus, MicroVideo } from "../../subgraphs/entries/entry/entry.entity";
import { makeVideo } from "../../subgraphs/entries/media/fixtures";
import { mediaStorage } from "../../subgraphs/entries/media/media-store";
import { newMediaKey } from "../../subgraphs/entries/media/storage";
import { VideoRenditionService, VideoRenditionSettings } from "../../subgraphs/entries/video-rendition/video-rendition.service";
import { enqueueVideoRenditions, VideoRenditionStore } from "../../subgraphs/entries/video-rendition/video-rendition.store";
import { EntriesVideoRenditions1764637300000 } from "../../migrations/entries/1764637300000-entries-video-renditions";
import { seedCompetition, seedEntry } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";

describe("video rendition jobs", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["entries"], gateway: false, env: { VIDEO_RENDITION_POLL_MS: "600000" } });
    await seedCompetition(system.dataSources.entries);
  });
  afterAll(() => system.stop());

  const db = () => system.dataSources.entries;
  const store = () => new VideoRenditionStore(db());
  const service = (settings: Partial<VideoRenditionSettings> = {}) =>
    new VideoRenditionService(store(), mediaStorage, {
      leaseMilliseconds: 60_000,
      maxAttempts: 3,
      retryBaseMilliseconds: 60_000,
      timeoutMilliseconds: 120_000,
      workDir: path.join(system.mediaRoot, ".tmp", "renditions"),
      ...settings,
    });

  /** Leaves only this test's job due (earlier tests' jobs are finished or parked an hour ahead). */
  async function parkOtherJobs(videoId: string) {
    await db().query(`UPDATE entries.video_rendition_job SET next_attempt_at = now() + interval '1 hour' WHERE video_id <> $1`, [videoId]);
  }

  /** A stored video (a real clip, or bytes ffmpeg cannot decode) with its job queued, as uploadVideo leaves it. */
  async function queuedVideo(options: { broken?: boolean } = {}): Promise<string> {
    const entry = await seedEntry(db(), { venueId: randomUUID(), organizationId: randomUUID(), kind: EntryKind.MICRO_VIDEO });
    const videoKey = newMediaKey("videos", "mp4");
    if (options.broken) await mediaStorage().put(videoKey, Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypmp42"), randomBytes(4096)]));
    else await mediaStorage().putFile(videoKey, await makeVideo({ seconds: 1 }));
    const id = await db().transaction(async (manager) => {
      const video = await manager.getRepository(MicroVideo).save({
        entryId: entry.id,
        durationSeconds: 1,
        width: 320,
        height: 240,
        contentType: "video/mp4",
        byteSize: 1000,
        sha256: randomBytes(32).toString("hex"),
        videoKey,
        posterKey: null,
        status: MediaStatus.PROCESSING,
      });
      await enqueueVideoRenditions(manager, video.id);
      return video.id;
    });
    await parkOtherJobs(id);
    return id;
  }

  const video = async (id: string) => db().getRepository(MicroVideo).findOneByOrFail({ id });
  const job = async (id: string) =>
    (
      await db().query(
        // The first retry waits the base delay (60 s) with ±20% jitter, so at least 48 s; 30 s leaves room for a slow machine.
        `SELECT attempts, lease_id, last_error, next_attempt_at > now() + interval '30 seconds' AS backing_off FROM entries.video_rendition_job WHERE video_id = $1`,
        [id],
      )
    )[0];
  const renditionKeys = async (id: string) =>
    (await db().query(`SELECT key FROM entries.video_rendition WHERE video_id = $1 ORDER BY rendition`, [id])).map((row: { key: string }) => row.key);

  it("makes the renditions and the poster, marks the video READY and ends the job", async () => {
    const id = await queuedVideo();
    expect(await service().runDue()).toBe(1);
    const done = await video(id);
    expect(done).toMatchObject({ status: MediaStatus.READY, failureReason: null });
    expect(await job(id)).toBeUndefined();
    const keys = await renditionKeys(id);
    expect(keys).toHaveLength(1);
    for (const key of [...keys, done.posterKey!]) expect(await mediaStorage().exists(key)).toBe(true);
  });

  it("gives a job to one worker only, however many ask at once", async () => {
    const id = await queuedVideo();
    const leases = await Promise.all(Array.from({ length: 6 }, () => store().lease(60_000)));
    expect(leases.filter((lease) => lease?.videoId === id)).toHaveLength(1);
    expect(leases.filter((lease) => lease !== null)).toHaveLength(1);
    await db().query(`DELETE FROM entries.video_rendition_job WHERE video_id = $1`, [id]);
  });

  it("takes up the job of a worker that died once its lease ran out, and fences the dead worker out", async () => {
    const id = await queuedVideo();
    const dead = (await store().lease(60_000))!;
    expect(dead.videoId).toBe(id);
    expect(await service().runDue()).toBe(0);
    // The lease runs out (the process was killed mid-transcode and renewed it no more).
    await db().query(`UPDATE entries.video_rendition_job SET next_attempt_at = now() - interval '1 second' WHERE video_id = $1`, [id]);
    expect(await service().runDue()).toBe(1);
    expect((await video(id)).status).toBe(MediaStatus.READY);
    // Had the dead worker come back, nothing it wrote would count.
    expect(await store().complete(dead, [], null)).toBe(false);
    expect(await store().fail(dead, "late")).toBe(false);
    expect((await video(id)).status).toBe(MediaStatus.READY);
  });

  it("retries a failed transcode with backoff, then reports FAILED with a reason and leaves no file behind", async () => {
    const id = await queuedVideo({ broken: true });
    const worker = service({ maxAttempts: 2 });
    expect(await worker.runDue()).toBe(1);
    expect(await video(id)).toMatchObject({ status: MediaStatus.PROCESSING, failureReason: null });
    expect(await job(id)).toMatchObject({ attempts: 1, lease_id: null, backing_off: true, last_error: expect.stringMatching(/^decode: /) });
    expect(await worker.runDue()).toBe(0);
    // The backoff passes.
    await db().query(`UPDATE entries.video_rendition_job SET next_attempt_at = now() WHERE video_id = $1`, [id]);
    expect(await worker.runDue()).toBe(1);
    const failed = await video(id);
    expect(failed.status).toBe(MediaStatus.FAILED);
    expect(failed.failureReason).toMatch(/could not be decoded/);
    expect(await job(id)).toBeUndefined();
    expect(await renditionKeys(id)).toEqual([]);
    expect(failed.posterKey).toBeNull();
  });

  it("reports FAILED when earlier attempts all died before recording anything", async () => {
    const id = await queuedVideo();
    await db().query(`UPDATE entries.video_rendition_job SET attempts = 3 WHERE video_id = $1`, [id]);
    expect(await service({ maxAttempts: 3 }).runDue()).toBe(1);
    expect(await video(id)).toMatchObject({ status: MediaStatus.FAILED, failureReason: expect.stringMatching(/stopped repeatedly/) });
  });

  it("hands the job back without counting the attempt when the worker is stopped mid-run", async () => {
    const id = await queuedVideo();
    const stopping = new AbortController();
    const running = service().runOne(stopping.signal);
    stopping.abort();
    expect(await running).toBe(true);
    expect(await job(id)).toMatchObject({ attempts: 0, lease_id: null, backing_off: false });
    expect((await video(id)).status).toBe(MediaStatus.PROCESSING);
    await db().query(`DELETE FROM entries.video_rendition_job WHERE video_id = $1`, [id]);
  });

  it("removes the files a new run replaces, after the new rows commit", async () => {
    const id = await queuedVideo();
    await service().runDue();
    const before = { keys: await renditionKeys(id), poster: (await video(id)).posterKey! };
    await db().transaction((manager) => enqueueVideoRenditions(manager, id));
    expect((await video(id)).status).toBe(MediaStatus.PROCESSING);
    await service().runDue();
    const after = { keys: await renditionKeys(id), poster: (await video(id)).posterKey! };
    expect(after.keys).not.toEqual(before.keys);
    for (const key of [...before.keys, before.poster]) expect(await mediaStorage().exists(key)).toBe(false);
    for (const key of [...after.keys, after.poster]) expect(await mediaStorage().exists(key)).toBe(true);
  });

  it("the migration goes down and up again, queueing every stored video on the way up", async () => {
    const id = await queuedVideo();
    await service().runDue();
    const migration = new EntriesVideoRenditions1764637300000();
    const runner = db().createQueryRunner();
    try {
      await migration.down(runner);
      const columns = await runner.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'entries' AND table_name = 'micro_video' AND column_name IN ('status', 'failure_reason')`,
      );
      expect(columns).toEqual([]);
      expect((await runner.query(`SELECT to_regclass('entries.video_rendition_job') AS job, to_regclass('entries.video_rendition') AS rendition`))[0]).toEqual({
        job: null,
        rendition: null,
      });
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await video(id)).toMatchObject({ status: MediaStatus.PROCESSING });
    expect(await job(id)).toMatchObject({ attempts: 0 });
    const [{ videos, jobs }] = await db().query(
      `SELECT (SELECT count(*)::int FROM entries.micro_video) AS videos, (SELECT count(*)::int FROM entries.video_rendition_job) AS jobs`,
    );
    expect(jobs).toBe(videos);
  });
});
