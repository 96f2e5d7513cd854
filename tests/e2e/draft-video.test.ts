// A draft's micro-video through the gateway: removeVideo (a FAILED one in particular, so the venue can upload again)
// with its files deleted only once the change commits, owner-scoped like the uploads; and submitEntry, which refuses
// a FAILED video and accepts a PROCESSING one whose renditions follow; retryVideoRenditions, the way back to READY for a
// video that failed after its entry was submitted.
import path from "node:path";
import { Competition } from "../../subgraphs/entries/competition/competition.entity";
import { metrics } from "../../lib/metrics";
import { makeVideo } from "../../subgraphs/entries/media/fixtures";
import { mediaStorage } from "../../subgraphs/entries/media/media-store";
import { VideoRenditionService, VideoRenditionSettings } from "../../subgraphs/entries/video-rendition/video-rendition.service";
import { VideoRenditionStore } from "../../subgraphs/entries/video-rendition/video-rendition.store";
import { seedCompetition, seedVenue, unique } from "../kit/factories";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { multipartGraphql } from "../kit/multipart";
import { startSystem, TestSystem } from "../kit/system";

// Real uploads and transcodes on a shared two-core machine.
jest.setTimeout(120_000);

const REMOVE = `mutation($entryId: ID!) { removeVideo(entryId: $entryId) { id status video { id } } }`;
const SUBMIT = `mutation($id: ID!) { submitEntry(id: $id) { status video { status } } }`;
const VIDEO = `query($id: ID!) { entry(id: $id) { status video { id status failureReason } } }`;
const UPLOAD = `mutation($entryId: ID!, $file: Upload!) { uploadVideo(entryId: $entryId, file: $file) { id status } }`;
const RETRY = `mutation($entryId: ID!) { retryVideoRenditions(entryId: $entryId) { id status failureReason } }`;

describe("a draft's micro-video: remove it, and submit only one that is not FAILED", () => {
  let system: TestSystem;
  let competition: Competition;
  let length = 0;

  beforeAll(async () => {
    // The background worker stays idle (a poll every 10 minutes): the tests run the jobs themselves, so they can
    // see PROCESSING and make a job fail.
    system = await startSystem({ subgraphs: ["venues", "entries"], env: { VIDEO_RENDITION_POLL_MS: "600000" } });
    competition = await seedCompetition(system.dataSources.entries);
  });
  afterAll(() => system.stop());

  const db = () => system.dataSources.entries;
  const runRenditionJobs = (settings: Partial<VideoRenditionSettings> = {}) =>
    new VideoRenditionService(new VideoRenditionStore(db()), mediaStorage, {
      leaseMilliseconds: 60_000,
      maxAttempts: 3,
      retryBaseMilliseconds: 10,
      timeoutMilliseconds: 120_000,
      workDir: path.join(system.mediaRoot, ".tmp", "uploads", "renditions"),
      ...settings,
    }).runDue();
  /** One attempt, and ffmpeg killed after 1 ms: the job fails for real and the video is reported FAILED. */
  const failRenditionJobs = () => runRenditionJobs({ maxAttempts: 1, timeoutMilliseconds: 1 });

  /** A venue's DRAFT entry of the given kind, created through the gateway. */
  async function draft(kind = "MICRO_VIDEO") {
    const venue = await seedVenue(system.dataSources.venues);
    const token = tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] });
    const created = await graphql(
      system.gatewayUrl,
      `
        mutation ($input: CreateEntryInput!) {
          createEntry(input: $input) {
            id
          }
        }
      `,
      {
        variables: {
          input: {
            venueId: venue.id,
            theme: "FOLK_CULTURE",
            kind,
            title: `Harvest ${unique()}`,
            entrant: { name: "Zhang Wei", email: `${unique().toLowerCase()}@example.org`, country: "CN" },
            consentToRules: true,
            consentToPublication: true,
            declaresNoGenerativeAi: true,
          },
        },
        token,
      },
    );
    expect(created.errors).toBeUndefined();
    return { venue, token, entryId: created.data!.createEntry.id as string };
  }

  /** A distinct real video file (the competition refuses the same content in two entries). */
  const newVideoFile = () => makeVideo({ seconds: 1, width: 320 + 16 * (length++ % 40), height: 240 });

  async function upload(entryId: string, token: string, file: string) {
    const uploaded = await multipartGraphql(
      system.gatewayUrl,
      UPLOAD,
      { entryId, file: null },
      { "variables.file": { path: file, type: "video/mp4" } },
      { token },
    );
    expect(uploaded.errors).toBeUndefined();
    return uploaded.data!.uploadVideo as { id: string; status: string };
  }

  /** Every stored file of an entry's video: the original, the poster and the renditions. */
  async function videoKeys(entryId: string): Promise<string[]> {
    const rows: { key: string }[] = await db().query(
      `SELECT key FROM entries.micro_video video, unnest(ARRAY[video.video_key, video.poster_key]) AS key WHERE video.entry_id = $1 AND key IS NOT NULL
       UNION ALL SELECT rendition.key FROM entries.video_rendition rendition JOIN entries.micro_video video ON video.id = rendition.video_id WHERE video.entry_id = $1`,
      [entryId],
    );
    return rows.map((row) => row.key);
  }
  const existing = async (keys: string[]) => (await Promise.all(keys.map(async (key) => ((await mediaStorage().exists(key)) ? key : null)))).filter(Boolean);
  const video = async (entryId: string, token: string) => (await graphql(system.gatewayUrl, VIDEO, { variables: { id: entryId }, token })).data!.entry;

  it("refuses to submit a FAILED video; once removed, the same file is uploaded again, made READY and submitted", async () => {
    const { token, entryId } = await draft();
    const file = await newVideoFile();
    await upload(entryId, token, file);
    expect(await failRenditionJobs()).toBe(1);
    const failed = await video(entryId, token);
    expect(failed.video).toMatchObject({ status: "FAILED", failureReason: expect.stringMatching(/longer than the limit/) });
    const keys = await videoKeys(entryId);
    expect(keys).toHaveLength(1);
    expect(await existing(keys)).toEqual(keys);

    const refused = await graphql(system.gatewayUrl, SUBMIT, { variables: { id: entryId }, token });
    expect(errorCodes(refused)).toEqual(["CONFLICT"]);
    expect(refused.errors![0].message).toMatch(/FAILED.*removeVideo.*upload/);
    expect(refused.errors![0].extensions).toMatchObject({ videoStatus: "FAILED", failureReason: failed.video.failureReason });
    expect((await video(entryId, token)).status).toBe("DRAFT");

    const removed = await graphql(system.gatewayUrl, REMOVE, { variables: { entryId }, token });
    expect(removed.errors).toBeUndefined();
    expect(removed.data!.removeVideo).toEqual({ id: entryId, status: "DRAFT", video: null });
    expect(await existing(keys)).toEqual([]);
    expect(await videoKeys(entryId)).toEqual([]);

    // The same content is no longer in the competition, so it may be sent again.
    expect(await upload(entryId, token, file)).toMatchObject({ status: "PROCESSING" });
    expect(await runRenditionJobs()).toBe(1);
    expect((await video(entryId, token)).video.status).toBe("READY");
    const submitted = await graphql(system.gatewayUrl, SUBMIT, { variables: { id: entryId }, token });
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitEntry).toEqual({ status: "SUBMITTED", video: { status: "READY" } });
  });

  it("submits a video still PROCESSING; its renditions are made afterwards", async () => {
    const { token, entryId } = await draft();
    await upload(entryId, token, await newVideoFile());
    const submitted = await graphql(system.gatewayUrl, SUBMIT, { variables: { id: entryId }, token });
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitEntry).toEqual({ status: "SUBMITTED", video: { status: "PROCESSING" } });
    expect(await runRenditionJobs()).toBe(1);
    expect(await video(entryId, token)).toMatchObject({ status: "SUBMITTED", video: { status: "READY" } });
    // A submitted entry's video stays.
    expect(errorCodes(await graphql(system.gatewayUrl, REMOVE, { variables: { entryId }, token }))).toEqual(["CONFLICT"]);
  });

  it("makes a submitted entry's FAILED video again: PROCESSING with all its attempts, then READY; only a FAILED one", async () => {
    const { token, entryId } = await draft();
    await upload(entryId, token, await newVideoFile());
    const submitted = await graphql(system.gatewayUrl, SUBMIT, { variables: { id: entryId }, token });
    expect(submitted.data!.submitEntry).toEqual({ status: "SUBMITTED", video: { status: "PROCESSING" } });
    // Not FAILED yet: nothing to retry.
    const early = await graphql(system.gatewayUrl, RETRY, { variables: { entryId }, token });
    expect(errorCodes(early)).toEqual(["CONFLICT"]);
    expect(early.errors![0].extensions).toMatchObject({ videoStatus: "PROCESSING" });
    const reported = (await metrics.videoRenditionsFailed.get()).values[0]?.value ?? 0;
    expect(await failRenditionJobs()).toBe(1);
    const failed = await video(entryId, token);
    expect(failed).toMatchObject({ status: "SUBMITTED", video: { status: "FAILED" } });
    // Reported to the operators too, not only to the venue.
    expect((await metrics.videoRenditionsFailed.get()).values[0].value).toBe(reported + 1);

    // Strangers and judges are refused; the video stays FAILED.
    const stranger = await seedVenue(system.dataSources.venues);
    const callers: [string, string | undefined, string][] = [
      ["another tenant's venue", tokenFor({ role: "VENUE", org: stranger.organizationId, venues: [stranger.id] }), "NOT_FOUND"],
      ["a judge", tokenFor({ role: "JUDGE", judge: "00000000-0000-4000-8000-000000000001" }), "FORBIDDEN"],
      ["the public", undefined, "UNAUTHENTICATED"],
    ];
    for (const [who, caller, code] of callers) {
      expect([who, errorCodes(await graphql(system.gatewayUrl, RETRY, { variables: { entryId }, token: caller }))]).toEqual([who, [code]]);
    }
    expect((await video(entryId, token)).video.status).toBe("FAILED");

    // An organiser (or the owner) retries: the job starts over with every attempt, and a healthy run makes it READY.
    const organizer = tokenFor({ role: "ORGANIZER" });
    const retried = await graphql(system.gatewayUrl, RETRY, { variables: { entryId }, token: organizer });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.retryVideoRenditions).toEqual({ id: failed.video.id, status: "PROCESSING", failureReason: null });
    const [job] = await db().query(`SELECT attempts, last_error FROM entries.video_rendition_job WHERE video_id = $1`, [failed.video.id]);
    expect(job).toEqual({ attempts: 0, last_error: null });
    expect(await runRenditionJobs()).toBe(1);
    expect(await video(entryId, token)).toMatchObject({ status: "SUBMITTED", video: { status: "READY", failureReason: null } });
    expect(errorCodes(await graphql(system.gatewayUrl, RETRY, { variables: { entryId }, token }))).toEqual(["CONFLICT"]);

    // A photo entry has no video; an entry without one says so.
    const photos = await draft("SINGLE_PHOTO");
    expect(errorCodes(await graphql(system.gatewayUrl, RETRY, { variables: { entryId: photos.entryId }, token: photos.token }))).toEqual(["BAD_USER_INPUT"]);
    const empty = await draft();
    expect(errorCodes(await graphql(system.gatewayUrl, RETRY, { variables: { entryId: empty.entryId }, token: empty.token }))).toEqual(["NOT_FOUND"]);
  });

  it("removes a READY video with its renditions and poster, for the owner's organisation too", async () => {
    const { venue, token, entryId } = await draft();
    await upload(entryId, token, await newVideoFile());
    expect(await runRenditionJobs()).toBe(1);
    const keys = await videoKeys(entryId);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(await existing(keys)).toEqual(keys);
    const partner = tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] });
    const removed = await graphql(system.gatewayUrl, REMOVE, { variables: { entryId }, token: partner });
    expect(removed.errors).toBeUndefined();
    expect(removed.data!.removeVideo.video).toBeNull();
    expect(await existing(keys)).toEqual([]);
    expect((await db().query(`SELECT count(*)::int AS count FROM entries.video_rendition WHERE key = ANY($1::text[])`, [keys]))[0].count).toBe(0);
    // Nothing left to remove.
    expect(errorCodes(await graphql(system.gatewayUrl, REMOVE, { variables: { entryId }, token }))).toEqual(["NOT_FOUND"]);
  });

  it("removes a PROCESSING video with its queued job", async () => {
    const { token, entryId } = await draft();
    const uploaded = await upload(entryId, token, await newVideoFile());
    const keys = await videoKeys(entryId);
    expect((await db().query(`SELECT count(*)::int AS count FROM entries.video_rendition_job WHERE video_id = $1`, [uploaded.id]))[0].count).toBe(1);
    expect((await graphql(system.gatewayUrl, REMOVE, { variables: { entryId }, token })).errors).toBeUndefined();
    expect(await existing(keys)).toEqual([]);
    expect((await db().query(`SELECT count(*)::int AS count FROM entries.video_rendition_job WHERE video_id = $1`, [uploaded.id]))[0].count).toBe(0);
    expect(await runRenditionJobs()).toBe(0);
  });

  it("removes a video while its rendition job runs: the worker finds its lease gone and keeps nothing it made", async () => {
    const { token, entryId } = await draft();
    await upload(entryId, token, await newVideoFile());
    const original = await videoKeys(entryId);
    const made = async () => {
      const keys: string[] = [];
      for (const prefix of ["renditions/", "posters/"]) for await (const object of mediaStorage().list(prefix)) keys.push(object.key);
      return keys.sort();
    };
    const before = await made();
    // The venue removes the video at the moment the worker, transcode done, stores its first file.
    const real = mediaStorage();
    let removal: Promise<unknown> | undefined;
    const storage = new Proxy(real, {
      get(target, property) {
        if (property === "moveFile") {
          return async (key: string, sourcePath: string) => {
            removal ??= graphql(system.gatewayUrl, REMOVE, { variables: { entryId }, token });
            expect(((await removal) as { errors?: unknown }).errors).toBeUndefined();
            return target.moveFile(key, sourcePath);
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const worker = new VideoRenditionService(new VideoRenditionStore(db()), () => storage, {
      leaseMilliseconds: 60_000,
      maxAttempts: 3,
      retryBaseMilliseconds: 10,
      timeoutMilliseconds: 120_000,
      workDir: path.join(system.mediaRoot, ".tmp", "uploads", "renditions"),
    });
    expect(await worker.runDue()).toBe(1);
    expect(removal).toBeDefined();
    expect(await videoKeys(entryId)).toEqual([]);
    expect(await existing(original)).toEqual([]);
    expect(await made()).toEqual(before);
    expect((await video(entryId, token)).video).toBeNull();
  });

  it("keeps the files when the change does not commit", async () => {
    const { token, entryId } = await draft();
    await upload(entryId, token, await newVideoFile());
    expect(await failRenditionJobs()).toBe(1);
    const keys = await videoKeys(entryId);
    // Make the transaction fail at its last statement (the entry's update), after the video row was deleted in it.
    const trigger = `fail_${unique().toLowerCase()}`;
    await db().query(`CREATE FUNCTION entries.${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await db().query(
      `CREATE TRIGGER ${trigger} BEFORE UPDATE ON entries.entry FOR EACH ROW WHEN (OLD.id = '${entryId}') EXECUTE FUNCTION entries.${trigger}()`,
    );
    try {
      expect((await graphql(system.gatewayUrl, REMOVE, { variables: { entryId }, token })).errors).toBeDefined();
    } finally {
      await db().query(`DROP TRIGGER ${trigger} ON entries.entry`);
      await db().query(`DROP FUNCTION entries.${trigger}()`);
    }
    expect(await videoKeys(entryId)).toEqual(keys);
    expect(await existing(keys)).toEqual(keys);
    expect((await video(entryId, token)).video.status).toBe("FAILED");
  });

  it("is for the owner only, on a MICRO_VIDEO draft only, while the window is open", async () => {
    const { token, entryId } = await draft();
    await upload(entryId, token, await newVideoFile());
    const keys = await videoKeys(entryId);
    const stranger = await seedVenue(system.dataSources.venues);
    const callers: [string, string | undefined, string][] = [
      ["another tenant's venue", tokenFor({ role: "VENUE", org: stranger.organizationId, venues: [stranger.id] }), "NOT_FOUND"],
      ["another tenant's partner", tokenFor({ role: "PARTNER", org: stranger.organizationId, venues: [stranger.id] }), "NOT_FOUND"],
      ["a judge", tokenFor({ role: "JUDGE", judge: "00000000-0000-4000-8000-000000000001" }), "FORBIDDEN"],
      ["the public", undefined, "UNAUTHENTICATED"],
    ];
    for (const [who, caller, code] of callers) {
      expect([who, errorCodes(await graphql(system.gatewayUrl, REMOVE, { variables: { entryId }, token: caller }))]).toEqual([who, [code]]);
    }
    const photos = await draft("SINGLE_PHOTO");
    expect(errorCodes(await graphql(system.gatewayUrl, REMOVE, { variables: { entryId: photos.entryId }, token: photos.token }))).toEqual(["BAD_USER_INPUT"]);
    const repository = db().getRepository(Competition);
    await repository.update({ id: competition.id }, { submissionClosesAt: new Date(Date.now() - 1000) });
    try {
      expect(errorCodes(await graphql(system.gatewayUrl, REMOVE, { variables: { entryId }, token }))).toEqual(["DEADLINE_PASSED"]);
    } finally {
      await repository.update({ id: competition.id }, { submissionClosesAt: new Date(Date.now() + 30 * 86_400_000) });
    }
    expect(await videoKeys(entryId)).toEqual(keys);
    expect(await existing(keys)).toEqual(keys);
  });
});
