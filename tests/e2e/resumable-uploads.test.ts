// Resumable uploads and the multipart upload flow through the gateway, on the local disk and on S3-compatible
// storage (s3rver started here): parts in any order, a part cut in the middle and sent again, content checks
// at completion (a job that outlives the request: CHECKING, then ATTACHED or REJECTED with a code), and every
// credential scoped to one part of one upload.
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { makeJpeg, makeVideo } from "../../subgraphs/entries/media/fixtures";
import { mediaStorage } from "../../subgraphs/entries/media/media-store";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { filesUnder, multipartGraphql } from "../kit/multipart";
import { seedCompetition, seedVenue, unique } from "../kit/factories";
import { startS3Server, TestS3Server } from "../kit/s3-server";
import { startSystem, TestSystem } from "../kit/system";

// Several real uploads per test, on a shared two-core machine.
jest.setTimeout(180_000);

const PART_BYTES = 5 * 1024 * 1024;
const START = `mutation($input: StartMediaUploadInput!) { startMediaUpload(input: $input) { id entryId byteSize receivedBytes partSize expiresAt parts { number offset byteSize url received } } }`;
const STATUS = `query($id: ID!) { mediaUpload(id: $id) { id status failure { code message duplicateOfEntryId } receivedBytes parts { number received url } } }`;
const COMPLETE = `mutation($id: ID!) { completeMediaUpload(uploadId: $id) { id video { id status durationSeconds width height byteSize original: url(rendition: ORIGINAL) posterUrl } } }`;
const VIDEO = `query($id: ID!) { entry(id: $id) { video { status posterUrl } } }`;

interface Part {
  number: number;
  offset: number;
  byteSize: number;
  url: string;
  received: boolean;
}

/** PUTs bytes to a URL with a declared length; cutAfter sends only that many bytes and then drops the connection. */
function put(url: string, body: Buffer, options: { contentLength?: number; cutAfter?: number } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "PUT", headers: { "content-length": String(options.contentLength ?? body.length) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    request.on("error", (error) => (options.cutAfter === undefined ? reject(error) : resolve({ status: 0, body: error.message })));
    if (options.cutAfter !== undefined) {
      request.write(body.subarray(0, options.cutAfter), () => setTimeout(() => request.destroy(), 100));
    } else request.end(body);
  });
}

const sendPart = (file: Buffer, part: Part) => put(part.url, file.subarray(part.offset, part.offset + part.byteSize));

/** A real MP4 grown past several parts with a trailing free box (valid MP4 structure, probed like any other). */
async function bigVideo(megabytes: number, seconds = 3): Promise<Buffer> {
  const video = fs.readFileSync(await makeVideo({ seconds, width: 320, height: 240 }));
  const padding = Buffer.alloc(megabytes * 1024 * 1024);
  padding.writeUInt32BE(padding.length, 0);
  padding.write("free", 4, "latin1");
  // Varying content, so each test's file has its own SHA-256 (duplicates are refused).
  Buffer.from(unique(), "latin1").copy(padding, 8);
  return Buffer.concat([video, padding]);
}

const backends: [string, () => Promise<TestS3Server | undefined>][] = [
  ["local disk", async () => undefined],
  ["S3 (s3rver)", () => startS3Server()],
];

describe.each(backends)("media uploads through the gateway on %s", (_backend, startStorage) => {
  let system: TestSystem;
  let s3: TestS3Server | undefined;

  beforeAll(async () => {
    s3 = await startStorage();
    system = await startSystem({
      subgraphs: ["venues", "entries"],
      env: {
        ...(s3?.env ?? {}),
        MEDIA_UPLOAD_PART_BYTES: String(PART_BYTES),
        // Checks of these small files end within the wait even on a busy machine; the test of a longer check holds
        // the entry's row lock to keep it running past the wait, whatever the machine's speed.
        MEDIA_UPLOAD_COMPLETE_WAIT_MS: "6000",
        SUBGRAPH_TIMEOUT_MS: "30000",
      },
    });
    await seedCompetition(system.dataSources.entries);
  });
  afterAll(async () => {
    await system?.stop();
    await s3?.stop();
  });

  async function venueWithToken() {
    const venue = await seedVenue(system.dataSources.venues);
    return { venue, token: tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] }) };
  }

  async function draft(token: string, venueId: string, kind = "MICRO_VIDEO") {
    const response = await graphql(
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
            venueId,
            theme: "EXCHANGES",
            kind,
            title: `Harbour lights ${unique()}`,
            entrant: { name: "Ana Sousa", email: `${unique().toLowerCase()}@example.org`, country: "PT" },
            consentToRules: true,
            consentToPublication: true,
            declaresNoGenerativeAi: true,
          },
        },
        token,
      },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.createEntry.id as string;
  }

  async function start(token: string, entryId: string, file: Buffer, contentType = "video/mp4") {
    return graphql(system.gatewayUrl, START, { variables: { input: { entryId, byteSize: file.length, contentType } }, token });
  }

  /** The entry's video once the renditions job has finished with it (bounded: a few minutes on a busy machine). */
  async function videoOnceProcessed(entryId: string, token: string): Promise<{ status: string; posterUrl: string }> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const answer = await graphql(system.gatewayUrl, VIDEO, { variables: { id: entryId }, token });
      const video = answer.data?.entry?.video;
      if (video && video.status !== "PROCESSING") return video;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error("the video stayed PROCESSING");
  }

  const uploadRows = async (entryId: string) =>
    (await system.dataSources.entries.query(`SELECT count(*)::int AS count FROM entries.media_upload WHERE entry_id = $1`, [entryId]))[0].count;

  const uploadStatus = async (id: string, token: string) => {
    const answer = await graphql(system.gatewayUrl, STATUS, { variables: { id }, token });
    expect(answer.errors).toBeUndefined();
    return answer.data!.mediaUpload as { status: string; failure: { code: string; message: string; duplicateOfEntryId: string | null } | null };
  };

  /** The upload once its checks have ended (bounded: a few minutes on a busy machine). */
  async function uploadOnceChecked(id: string, token: string) {
    for (let attempt = 0; attempt < 600; attempt++) {
      const upload = await uploadStatus(id, token);
      if (upload.status !== "CHECKING") return upload;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error("the upload stayed CHECKING");
  }

  const objectKeyOf = async (uploadId: string): Promise<string> =>
    (await system.dataSources.entries.query(`SELECT object_key FROM entries.media_upload WHERE id = $1`, [uploadId]))[0].object_key;

  /** Sends every part of the file to a new upload for the entry. */
  async function uploaded(token: string, entryId: string, file: Buffer): Promise<string> {
    const started = await start(token, entryId, file);
    expect(started.errors).toBeUndefined();
    for (const part of started.data!.startMediaUpload.parts) expect((await sendPart(file, part)).status).toBe(200);
    return started.data!.startMediaUpload.id;
  }

  /** Holds the entry's row lock (as a request editing it would), so a check job cannot attach until released. */
  async function holdEntry(entryId: string): Promise<() => Promise<void>> {
    const runner = system.dataSources.entries.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT 1 FROM entries.entry WHERE id = $1 FOR UPDATE`, [entryId]);
    return async () => {
      await runner.rollbackTransaction();
      await runner.release();
    };
  }

  it("runs the multipart GraphQL flow (photos and a small video) on this storage, with ranged reads", async () => {
    const { venue, token } = await venueWithToken();
    const photoEntry = await draft(token, venue.id, "PHOTO_SET");
    const photo = await makeJpeg({ width: 2000, height: 1500, hue: 200 });
    const photos = await multipartGraphql(
      system.gatewayUrl,
      `mutation($entryId: ID!, $files: [Upload!]!) { uploadPhotos(entryId: $entryId, files: $files) { url original: url(size: ORIGINAL) } }`,
      { entryId: photoEntry, files: [null] },
      { "variables.files.0": { path: photo } },
      { token },
    );
    expect(photos.errors).toBeUndefined();
    const original = Buffer.from(await (await fetch(photos.data!.uploadPhotos[0].original)).arrayBuffer());
    expect(original.equals(fs.readFileSync(photo))).toBe(true);

    const videoEntry = await draft(token, venue.id);
    const video = await makeVideo({ seconds: 2, width: 320, height: 240 });
    const uploaded = await multipartGraphql(
      system.gatewayUrl,
      `mutation($entryId: ID!, $file: Upload!) { uploadVideo(entryId: $entryId, file: $file) { durationSeconds original: url(rendition: ORIGINAL) } }`,
      { entryId: videoEntry, file: null },
      { "variables.file": { path: video, type: "video/mp4" } },
      { token },
    );
    expect(uploaded.errors).toBeUndefined();
    const ranged = await fetch(uploaded.data!.uploadVideo.original, { headers: { range: "bytes=4-11" } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(fs.readFileSync(video).subarray(4, 12))).toBe(true);
    if (s3) expect(filesUnder(system.mediaRoot).filter((file) => !file.startsWith(".tmp"))).toEqual([]);
  });

  it("resumes: parts in any order, one cut in the middle and sent again, then attached after the checks", async () => {
    const { venue, token } = await venueWithToken();
    const entryId = await draft(token, venue.id);
    const file = await bigVideo(11);
    const started = await start(token, entryId, file);
    expect(started.errors).toBeUndefined();
    const upload = started.data!.startMediaUpload;
    expect(upload).toMatchObject({ entryId, byteSize: file.length, receivedBytes: 0, partSize: PART_BYTES });
    const parts: Part[] = upload.parts;
    expect(parts.map((part) => part.number)).toEqual([1, 2, 3]);
    expect(parts.reduce((sum, part) => sum + part.byteSize, 0)).toBe(file.length);

    expect((await sendPart(file, parts[1])).status).toBe(200);
    // The connection drops in the middle of part 1: nothing of it counts.
    await put(parts[0].url, file.subarray(0, parts[0].byteSize), { cutAfter: 1024 * 1024 });
    const status = await graphql(system.gatewayUrl, STATUS, { variables: { id: upload.id }, token });
    expect(status.errors).toBeUndefined();
    expect(status.data!.mediaUpload.parts.map((part: Part) => part.received)).toEqual([false, true, false]);
    expect(status.data!.mediaUpload.receivedBytes).toBe(parts[1].byteSize);

    const early = await graphql(system.gatewayUrl, COMPLETE, { variables: { id: upload.id }, token });
    expect(errorCodes(early)).toEqual(["BAD_USER_INPUT"]);
    expect(early.errors![0].extensions!.missingParts).toEqual([1, 3]);

    for (const part of parts.filter((candidate) => candidate.number !== 2)) expect((await sendPart(file, part)).status).toBe(200);
    const completed = await graphql(system.gatewayUrl, COMPLETE, { variables: { id: upload.id }, token });
    expect(completed.errors).toBeUndefined();
    const video = completed.data!.completeMediaUpload.video;
    expect(video).toMatchObject({ width: 320, height: 240, byteSize: file.length });
    expect(video.durationSeconds).toBeCloseTo(3, 0);
    // Attached like an uploadVideo: PROCESSING, its renditions queued; the background job makes the poster.
    expect(video).toMatchObject({ status: "PROCESSING", posterUrl: null });
    const stored = Buffer.from(await (await fetch(video.original, { headers: {} })).arrayBuffer());
    expect(createHash("sha256").update(stored).digest("hex")).toBe(createHash("sha256").update(file).digest("hex"));
    const ready = await videoOnceProcessed(entryId, token);
    expect(ready.status).toBe("READY");
    expect((await fetch(ready.posterUrl)).status).toBe(200);
    expect(await uploadRows(entryId)).toBe(1);
    // Nothing left in the disk's temp folders.
    expect(filesUnder(path.join(system.mediaRoot, ".tmp")).filter((name) => !name.endsWith("/"))).toEqual([]);

    // The upload is finished: no part is accepted any more; it reads ATTACHED, and completing again answers the same.
    expect((await sendPart(file, parts[0])).status).toBe(404);
    expect(await uploadStatus(upload.id, token)).toMatchObject({ status: "ATTACHED", failure: null });
    const again = await graphql(system.gatewayUrl, COMPLETE, { variables: { id: upload.id }, token });
    expect(again.errors).toBeUndefined();
    expect(again.data!.completeMediaUpload.video.id).toBe(video.id);
  });

  it("scopes every credential: the token to the entry's owner, each URL to one part of one upload", async () => {
    const owner = await venueWithToken();
    const stranger = await venueWithToken();
    const entryId = await draft(owner.token, owner.venue.id);
    const file = await bigVideo(6);
    expect(errorCodes(await start(stranger.token, entryId, file))).toEqual(["NOT_FOUND"]);
    const upload = (await start(owner.token, entryId, file)).data!.startMediaUpload;
    expect(errorCodes(await graphql(system.gatewayUrl, STATUS, { variables: { id: upload.id }, token: stranger.token }))).toEqual(["NOT_FOUND"]);
    expect(errorCodes(await graphql(system.gatewayUrl, COMPLETE, { variables: { id: upload.id }, token: stranger.token }))).toEqual(["NOT_FOUND"]);

    const [first, second] = upload.parts as Part[];
    // Part 1's signature does not open part 2, and a changed signature opens nothing.
    const swapped = second.url.replace(/\?.*$/, new URL(first.url).search);
    expect((await put(swapped, file.subarray(second.offset, second.offset + second.byteSize))).status).toBe(403);
    const tampered = first.url.replace(/sig=./, (match) => (match.endsWith("A") ? "sig=B" : "sig=A"));
    expect((await put(tampered, file.subarray(0, first.byteSize))).status).toBe(403);
    // The declared length must be the part's.
    expect((await put(first.url, file.subarray(0, 10))).status).toBe(400);

    // Starting again replaces the unfinished upload (and its URLs).
    const again = (await start(owner.token, entryId, file)).data!.startMediaUpload;
    expect(again.id).not.toBe(upload.id);
    expect((await sendPart(file, first)).status).toBe(404);
    expect(await uploadRows(entryId)).toBe(1);
  });

  it("refuses at start what it can (size, type, kind) and at completion what the content shows, leaving the entry unchanged", async () => {
    const { venue, token } = await venueWithToken();
    const entryId = await draft(token, venue.id);
    const tooBig = await graphql(system.gatewayUrl, START, { variables: { input: { entryId, byteSize: 600 * 1024 * 1024, contentType: "video/mp4" } }, token });
    expect(errorCodes(tooBig)).toEqual(["PAYLOAD_TOO_LARGE"]);
    expect(
      errorCodes(await graphql(system.gatewayUrl, START, { variables: { input: { entryId, byteSize: 1000, contentType: "video/webm" } }, token })),
    ).toEqual(["UNSUPPORTED_MEDIA_TYPE"]);
    const photoEntry = await draft(token, venue.id, "PHOTO_SET");
    expect(
      errorCodes(await graphql(system.gatewayUrl, START, { variables: { input: { entryId: photoEntry, byteSize: 1000, contentType: "video/mp4" } }, token })),
    ).toEqual(["BAD_USER_INPUT"]);

    // Not a video at all, declared as one.
    const junk = Buffer.alloc(PART_BYTES + 5, 0x41);
    const upload = (await start(token, entryId, junk)).data!.startMediaUpload;
    for (const part of upload.parts) expect((await sendPart(junk, part)).status).toBe(200);
    const refused = await graphql(system.gatewayUrl, COMPLETE, { variables: { id: upload.id }, token });
    expect(errorCodes(refused)).toEqual(["UNSUPPORTED_MEDIA_TYPE"]);
    const entry = await graphql(
      system.gatewayUrl,
      `
        query ($id: ID!) {
          entry(id: $id) {
            video {
              id
            }
          }
        }
      `,
      { variables: { id: entryId }, token },
    );
    expect(entry.data!.entry.video).toBeNull();
    // The upload says why, with the same code; its bytes are gone.
    expect(await uploadStatus(upload.id, token)).toMatchObject({ status: "REJECTED", failure: { code: "UNSUPPORTED_MEDIA_TYPE" } });
    expect(await mediaStorage().exists(await objectKeyOf(upload.id))).toBe(false);
    const objects: string[] = [];
    for await (const object of mediaStorage().list("videos/")) objects.push(object.key);
    const [row] = await system.dataSources.entries.query(`SELECT count(*)::int AS count FROM entries.micro_video`);
    // Every stored video belongs to a committed row (the refused one was removed).
    expect(objects.length).toBe(row.count);

    // The same content as an attached video is refused as a duplicate.
    const video = await bigVideo(1);
    const first = (await start(token, entryId, video)).data!.startMediaUpload;
    for (const part of first.parts) expect((await sendPart(video, part)).status).toBe(200);
    expect((await graphql(system.gatewayUrl, COMPLETE, { variables: { id: first.id }, token })).errors).toBeUndefined();
    const otherEntry = await draft(token, venue.id);
    const second = (await start(token, otherEntry, video)).data!.startMediaUpload;
    for (const part of second.parts) expect((await sendPart(video, part)).status).toBe(200);
    expect(errorCodes(await graphql(system.gatewayUrl, COMPLETE, { variables: { id: second.id }, token }))).toEqual(["CONFLICT"]);
  });

  it("answers CHECKING when the checks outlast the wait; they go on without the request and end ATTACHED, or REJECTED with a code", async () => {
    const { venue, token } = await venueWithToken();
    const entryId = await draft(token, venue.id);
    const file = await bigVideo(6);
    const uploadId = await uploaded(token, entryId, file);

    const release = await holdEntry(entryId);
    let answer;
    try {
      answer = await graphql(system.gatewayUrl, COMPLETE, { variables: { id: uploadId }, token });
      // The entry comes back unchanged while the checks go on.
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.completeMediaUpload).toMatchObject({ id: entryId, video: null });
      expect(await uploadStatus(uploadId, token)).toMatchObject({ status: "CHECKING", failure: null });
      // One upload at a time per entry: a new one waits for the outcome.
      expect(errorCodes(await start(token, entryId, file))).toEqual(["CONFLICT"]);
    } finally {
      await release();
    }
    expect(await uploadOnceChecked(uploadId, token)).toMatchObject({ status: "ATTACHED", failure: null });
    const attached = await graphql(system.gatewayUrl, VIDEO, { variables: { id: entryId }, token });
    expect(attached.data!.entry.video).not.toBeNull();

    // The same content for another entry, refused after the wait: REJECTED with its code, the entry unchanged, the bytes removed.
    const otherEntry = await draft(token, venue.id);
    const duplicateId = await uploaded(token, otherEntry, file);
    const releaseOther = await holdEntry(otherEntry);
    try {
      const pending = await graphql(system.gatewayUrl, COMPLETE, { variables: { id: duplicateId }, token });
      expect(pending.errors).toBeUndefined();
      expect(pending.data!.completeMediaUpload.video).toBeNull();
    } finally {
      await releaseOther();
    }
    expect(await uploadOnceChecked(duplicateId, token)).toMatchObject({
      status: "REJECTED",
      failure: { code: "CONFLICT", duplicateOfEntryId: entryId },
    });
    expect((await graphql(system.gatewayUrl, VIDEO, { variables: { id: otherEntry }, token })).data!.entry.video).toBeNull();
    expect(await mediaStorage().exists(await objectKeyOf(duplicateId))).toBe(false);
    // Completing it again answers the recorded refusal.
    expect(errorCodes(await graphql(system.gatewayUrl, COMPLETE, { variables: { id: duplicateId }, token }))).toEqual(["CONFLICT"]);
  });
});
