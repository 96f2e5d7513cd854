import fs from "node:fs";
import sharp from "sharp";
import path from "node:path";
import { Competition } from "../../subgraphs/entries/competition/competition.entity";
import { makeHtmlNamedJpg, makeJpeg, makePixelBombPng, makePng, makeTruncatedJpeg, makeVideo } from "../../subgraphs/entries/media/fixtures";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { filesUnder, multipartGraphql } from "../kit/multipart";
import { seedCompetition, seedEntry, seedVenue, unique } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";

const UPLOAD_PHOTOS = `mutation($entryId: ID!, $files: [Upload!]!) { uploadPhotos(entryId: $entryId, files: $files) {
  id position width height contentType url thumbnail: url(size: THUMBNAIL) original: url(size: ORIGINAL) exif { camera lens takenAt iso } } }`;
const UPLOAD_VIDEO = `mutation($entryId: ID!, $file: Upload!) { uploadVideo(entryId: $entryId, file: $file) { durationSeconds width height status url posterUrl original: url(rendition: ORIGINAL) } }`;

describe("uploads through the gateway", () => {
  let system: TestSystem;
  let competition: Competition;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries"] });
    competition = await seedCompetition(system.dataSources.entries);
  });
  afterAll(() => system.stop());

  async function venueWithToken() {
    const venue = await seedVenue(system.dataSources.venues);
    return { venue, token: tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] }) };
  }

  async function draft(token: string, venueId: string, kind = "PHOTO_SET") {
    const response = await graphql(
      system.gatewayUrl,
      `
        mutation ($input: CreateEntryInput!) {
          createEntry(input: $input) {
            id
            status
          }
        }
      `,
      {
        variables: {
          input: {
            venueId,
            theme: "EXCHANGES",
            kind,
            title: `Figure skaters ${unique()}`,
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

  /** Media files stored so far (temp folders excluded; they must be empty anyway). */
  const storedFiles = () => filesUnder(system.mediaRoot).filter((file) => !file.startsWith(".tmp"));
  const tempFiles = () => filesUnder(path.join(system.mediaRoot, ".tmp"));
  const photoRows = async (entryId: string) =>
    (await system.dataSources.entries.query(`SELECT count(*)::int AS count FROM entries.photo WHERE entry_id = $1`, [entryId]))[0].count;

  it("runs the whole venue flow: create, upload two photos, read them back in three sizes, submit", async () => {
    const { venue, token } = await venueWithToken();
    const entryId = await draft(token, venue.id);
    const first = await makeJpeg({ width: 2400, height: 1600, hue: 10 });
    const second = await makePng({ width: 1800, height: 1800, hue: 90 });
    const uploaded = await multipartGraphql(
      system.gatewayUrl,
      UPLOAD_PHOTOS,
      { entryId, files: [null, null] },
      {
        "variables.files.0": { path: first },
        "variables.files.1": { path: second, type: "image/png" },
      },
      { token },
    );
    expect(uploaded.errors).toBeUndefined();
    const photos = uploaded.data!.uploadPhotos;
    expect(photos.map((photo: any) => [photo.position, photo.width, photo.height, photo.contentType])).toEqual([
      [1, 2400, 1600, "image/jpeg"],
      [2, 1800, 1800, "image/png"],
    ]);
    expect(photos[0].exif).toMatchObject({ camera: "Canon EOS R5", lens: "RF24-105mm F4 L IS USM", takenAt: "2024-05-01T10:20:30+08:00", iso: 400 });

    // Every URL works through the gateway, and the derived sizes are what they say.
    const display = await fetch(photos[0].url);
    expect(display.status).toBe(200);
    expect(display.headers.get("content-type")).toBe("image/jpeg");
    expect((await sharp(Buffer.from(await display.arrayBuffer())).metadata()).width).toBe(1920);
    expect((await sharp(Buffer.from(await (await fetch(photos[0].thumbnail)).arrayBuffer())).metadata()).width).toBe(400);
    const original = Buffer.from(await (await fetch(photos[0].original)).arrayBuffer());
    expect(original.equals(fs.readFileSync(first))).toBe(true);
    // A tampered or foreign signature is refused.
    expect((await fetch(photos[0].url.replace(/sig=[^&]+/, "sig=AAAA"))).status).toBe(403);

    const submitted = await graphql(
      system.gatewayUrl,
      `
        mutation ($id: ID!) {
          submitEntry(id: $id) {
            status
            photos {
              position
            }
          }
        }
      `,
      { variables: { id: entryId }, token },
    );
    expect(submitted.data!.submitEntry).toEqual({ status: "SUBMITTED", photos: [{ position: 1 }, { position: 2 }] });
    // Judges and the public never get the original; the public cannot see this unpublished entry at all.
    const other = await venueWithToken();
    const foreign = await graphql(
      system.gatewayUrl,
      `
        query ($id: ID!) {
          entry(id: $id) {
            id
          }
        }
      `,
      { variables: { id: entryId }, token: other.token },
    );
    expect(foreign.data!.entry).toBeNull();
  });

  it("uploads a micro-video with its duration and dimensions; the background job makes its stream and poster", async () => {
    const { venue, token } = await venueWithToken();
    const entryId = await draft(token, venue.id, "MICRO_VIDEO");
    const video = await makeVideo({ seconds: 3, width: 320, height: 240 });
    const response = await multipartGraphql(
      system.gatewayUrl,
      UPLOAD_VIDEO,
      { entryId, file: null },
      { "variables.file": { path: video, type: "video/mp4" } },
      { token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.uploadVideo).toMatchObject({ width: 320, height: 240, status: "PROCESSING", url: null, posterUrl: null });
    expect(response.data!.uploadVideo.durationSeconds).toBeCloseTo(3, 0);
    const original = await fetch(response.data!.uploadVideo.original, { headers: { range: "bytes=0-99" } });
    expect(original.status).toBe(206);

    // The entries service's own worker (not this test) makes the rendition; wait for it, bounded.
    const query = `query($id: ID!) { entry(id: $id) { video { status url posterUrl renditions { rendition width height byteSize } } } }`;
    let ready: Record<string, any> | undefined;
    for (let attempt = 0; attempt < 240 && !ready; attempt++) {
      const answer = await graphql(system.gatewayUrl, query, { variables: { id: entryId }, token });
      if (answer.data!.entry.video.status !== "PROCESSING") ready = answer.data!.entry.video;
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(ready).toMatchObject({ status: "READY", renditions: [{ rendition: "STREAM", width: 320, height: 240, byteSize: expect.any(Number) }] });
    const played = await fetch(ready!.url, { headers: { range: "bytes=0-99" } });
    expect(played.status).toBe(206);
    expect(played.headers.get("content-type")).toBe("video/mp4");
    expect((await played.arrayBuffer()).byteLength).toBe(100);
    expect((await fetch(ready!.posterUrl)).headers.get("content-type")).toBe("image/jpeg");
    const again = await multipartGraphql(system.gatewayUrl, UPLOAD_VIDEO, { entryId, file: null }, { "variables.file": { path: video } }, { token });
    expect(errorCodes(again)).toEqual(["CONFLICT"]);
  });

  it("works straight against the entries subgraph too", async () => {
    const { venue, token } = await venueWithToken();
    const entryId = await draft(token, venue.id, "SINGLE_PHOTO");
    const response = await multipartGraphql(
      system.urls.entries,
      UPLOAD_PHOTOS,
      { entryId, files: [null] },
      { "variables.files.0": { path: await makeJpeg({ hue: 33 }) } },
      { token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.uploadPhotos).toHaveLength(1);
  });

  describe("refuses bad uploads with a code, storing nothing", () => {
    it.each([
      ["an HTML file named .jpg", async () => ({ path: await makeHtmlNamedJpg(), filename: "photo.jpg" }), "UNSUPPORTED_MEDIA_TYPE"],
      ["a truncated JPEG", async () => ({ path: await makeTruncatedJpeg() }), "BAD_USER_INPUT"],
      ["a pixel bomb", async () => ({ path: await makePixelBombPng(), type: "image/png" }), "PAYLOAD_TOO_LARGE"],
      ["a photo too small", async () => ({ path: await makeJpeg({ width: 800, height: 600 }) }), "BAD_USER_INPUT"],
      ["a video sent as a photo", async () => ({ path: await makeVideo({ seconds: 1 }), filename: "x.jpg" }), "UNSUPPORTED_MEDIA_TYPE"],
    ])("%s", async (_name, file, code) => {
      const { venue, token } = await venueWithToken();
      const entryId = await draft(token, venue.id);
      const before = storedFiles();
      const response = await multipartGraphql(system.gatewayUrl, UPLOAD_PHOTOS, { entryId, files: [null] }, { "variables.files.0": await file() }, { token });
      expect(errorCodes(response)).toEqual([code]);
      expect(await photoRows(entryId)).toBe(0);
      expect(storedFiles()).toEqual(before);
      expect(tempFiles()).toEqual([]);
    });

    it("a file over the competition's size limit, cut off while streaming", async () => {
      const { venue, token } = await venueWithToken();
      const entryId = await draft(token, venue.id);
      await system.dataSources.entries.getRepository(Competition).update({ id: competition.id }, { maxPhotoBytes: 50_000 });
      try {
        const before = storedFiles();
        const response = await multipartGraphql(
          system.gatewayUrl,
          UPLOAD_PHOTOS,
          { entryId, files: [null] },
          { "variables.files.0": { path: await makeJpeg({ hue: 44 }) } },
          { token },
        );
        expect(errorCodes(response)).toEqual(["PAYLOAD_TOO_LARGE"]);
        expect(storedFiles()).toEqual(before);
        expect(tempFiles()).toEqual([]);
      } finally {
        await system.dataSources.entries.getRepository(Competition).update({ id: competition.id }, { maxPhotoBytes: 31_457_280 });
      }
    });

    it("one bad file among good ones: none of them is kept", async () => {
      const { venue, token } = await venueWithToken();
      const entryId = await draft(token, venue.id);
      const before = storedFiles();
      const response = await multipartGraphql(
        system.gatewayUrl,
        UPLOAD_PHOTOS,
        { entryId, files: [null, null] },
        {
          "variables.files.0": { path: await makeJpeg({ hue: 55 }) },
          "variables.files.1": { path: await makeTruncatedJpeg() },
        },
        { token },
      );
      expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(await photoRows(entryId)).toBe(0);
      expect(storedFiles()).toEqual(before);
    });

    it("too many files", async () => {
      const { venue, token } = await venueWithToken();
      const entryId = await draft(token, venue.id);
      const photo = await makeJpeg({ hue: 66 });
      const files = Object.fromEntries(Array.from({ length: 11 }, (_v, i) => [`variables.files.${i}`, { path: photo }]));
      const response = await multipartGraphql(system.gatewayUrl, UPLOAD_PHOTOS, { entryId, files: Array(11).fill(null) }, files, { token });
      expect(errorCodes(response)).toEqual(["PAYLOAD_TOO_LARGE"]);
      expect(await photoRows(entryId)).toBe(0);
    });

    it("a file name with ../ is stored under a generated name; one with a NUL byte is a malformed request", async () => {
      const { venue, token } = await venueWithToken();
      const entryId = await draft(token, venue.id, "SINGLE_PHOTO");
      const response = await multipartGraphql(
        system.gatewayUrl,
        UPLOAD_PHOTOS,
        { entryId, files: [null] },
        {
          "variables.files.0": { path: await makeJpeg({ hue: 77 }), filename: "../../etc/passwd.jpg" },
        },
        { token },
      );
      expect(response.errors).toBeUndefined();
      expect(storedFiles().some((file) => file.includes("passwd") || file.includes(".."))).toBe(false);
      expect(fs.existsSync(path.join(system.mediaRoot, "..", "etc"))).toBe(false);

      const other = await draft(token, venue.id, "SINGLE_PHOTO");
      const before = storedFiles();
      const nul = await multipartGraphql(
        system.gatewayUrl,
        UPLOAD_PHOTOS,
        { entryId: other, files: [null] },
        {
          "variables.files.0": { path: await makeJpeg({ hue: 78 }), filename: "photo\u0000.jpg" },
        },
        { token },
      );
      expect(errorCodes(nul)).toEqual(["BAD_USER_INPUT"]);
      expect(storedFiles()).toEqual(before);
      expect(await photoRows(other)).toBe(0);
    });

    it("the same image twice in the competition", async () => {
      const { venue, token } = await venueWithToken();
      const photo = await makeJpeg({ hue: 88 });
      const first = await draft(token, venue.id, "SINGLE_PHOTO");
      expect(
        (await multipartGraphql(system.gatewayUrl, UPLOAD_PHOTOS, { entryId: first, files: [null] }, { "variables.files.0": { path: photo } }, { token }))
          .errors,
      ).toBeUndefined();
      const second = await draft(token, venue.id, "SINGLE_PHOTO");
      const before = storedFiles();
      const response = await multipartGraphql(
        system.gatewayUrl,
        UPLOAD_PHOTOS,
        { entryId: second, files: [null] },
        { "variables.files.0": { path: photo } },
        { token },
      );
      expect(errorCodes(response)).toEqual(["CONFLICT"]);
      expect(storedFiles()).toEqual(before);
    });

    it("another venue's entry, a submitted entry, after the deadline, and without the CSRF header", async () => {
      const { venue, token } = await venueWithToken();
      const other = await venueWithToken();
      const photo = { "variables.files.0": { path: await makeJpeg({ hue: 99 }) } };
      const entryId = await draft(token, venue.id);
      expect(errorCodes(await multipartGraphql(system.gatewayUrl, UPLOAD_PHOTOS, { entryId, files: [null] }, photo, { token: other.token }))).toEqual([
        "NOT_FOUND",
      ]);
      const submitted = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });
      expect(errorCodes(await multipartGraphql(system.gatewayUrl, UPLOAD_PHOTOS, { entryId: submitted.id, files: [null] }, photo, { token }))).toEqual([
        "CONFLICT",
      ]);
      const csrf = await multipartGraphql(system.gatewayUrl, UPLOAD_PHOTOS, { entryId, files: [null] }, photo, { token, preflight: false });
      expect(csrf.status).toBe(400);
      const repository = system.dataSources.entries.getRepository(Competition);
      await repository.update({ id: competition.id }, { submissionClosesAt: new Date(Date.now() - 1000) });
      try {
        expect(errorCodes(await multipartGraphql(system.gatewayUrl, UPLOAD_PHOTOS, { entryId, files: [null] }, photo, { token }))).toEqual(["DEADLINE_PASSED"]);
      } finally {
        await repository.update({ id: competition.id }, { submissionClosesAt: new Date(Date.now() + 30 * 86_400_000) });
      }
      expect(await photoRows(entryId)).toBe(0);
    });

    it("a video longer than the competition allows", async () => {
      const { venue, token } = await venueWithToken();
      const entryId = await draft(token, venue.id, "MICRO_VIDEO");
      await system.dataSources.entries.getRepository(Competition).update({ id: competition.id }, { maxVideoSeconds: 2 });
      try {
        const response = await multipartGraphql(
          system.gatewayUrl,
          UPLOAD_VIDEO,
          { entryId, file: null },
          { "variables.file": { path: await makeVideo({ seconds: 4 }) } },
          { token },
        );
        expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
        expect(tempFiles()).toEqual([]);
      } finally {
        await system.dataSources.entries.getRepository(Competition).update({ id: competition.id }, { maxVideoSeconds: 180 });
      }
    });
  });
});
