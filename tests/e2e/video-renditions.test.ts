// #12 class 2 and #13 renditions, through the gateway as partners reach it: a video that carries an author, a
// place, a device, a creation time and chapters is uploaded; judges and the public get no video URL until its
// streaming rendition is READY, and then only files without any metadata (every URL field of MicroVideo, for every
// VideoRendition value, found by introspection so a new one is checked too); the original keeps its metadata and
// goes to organisers and the owner only; a signed URL cannot be re-targeted at the original.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { mediaStorage } from "../../subgraphs/entries/media/media-store";
import { makeVideoWithMetadata, SAMPLE_VIDEO_METADATA } from "../../subgraphs/entries/media/fixtures";
import { VideoRenditionService } from "../../subgraphs/entries/video-rendition/video-rendition.service";
import { VideoRenditionStore } from "../../subgraphs/entries/video-rendition/video-rendition.store";
import { seedCompetition, seedVenue, unique } from "../kit/factories";
import { seedExhibition } from "../kit/exhibitions-factories";
import { entities, errorCodes, graphql, GraphqlResponse, tokenFor } from "../kit/http";
import { metadataItems, metadataProblems, probeVideo } from "../kit/media-metadata";
import { multipartGraphql } from "../kit/multipart";
import { startSystem, TestSystem } from "../kit/system";

describe("video renditions: what judges and the public can fetch carries no metadata", () => {
  let system: TestSystem;
  let downloads: string;

  beforeAll(async () => {
    // The background worker stays idle here (a poll every 10 minutes): the test runs the jobs itself, so it can
    // look at the PROCESSING state first. tests/e2e/uploads.test.ts shows the worker doing it on its own.
    system = await startSystem({ env: { VIDEO_RENDITION_POLL_MS: "600000" } });
    await seedCompetition(system.dataSources.entries);
    downloads = await fs.mkdtemp(path.join(os.tmpdir(), "rendition-downloads-"));
  });
  afterAll(async () => {
    await system.stop();
    await fs.rm(downloads, { recursive: true, force: true });
  });

  const runRenditionJobs = () =>
    new VideoRenditionService(new VideoRenditionStore(system.dataSources.entries), mediaStorage, {
      leaseMilliseconds: 60_000,
      maxAttempts: 3,
      retryBaseMilliseconds: 10,
      timeoutMilliseconds: 120_000,
      workDir: path.join(system.mediaRoot, ".tmp", "renditions"),
    }).runDue();

  let videoLength = 0;
  /** A submitted MICRO_VIDEO entry of a new venue, with the sample video uploaded through the gateway. */
  async function submittedVideoEntry() {
    const venue = await seedVenue(system.dataSources.venues);
    const owner = tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] });
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
            kind: "MICRO_VIDEO",
            title: `Harvest ${unique()}`,
            entrant: { name: "Zhang Wei", email: `${unique().toLowerCase()}@example.org`, country: "CN" },
            consentToRules: true,
            consentToPublication: true,
            declaresNoGenerativeAi: true,
          },
        },
        token: owner,
      },
    );
    expect(created.errors).toBeUndefined();
    const entryId = created.data!.createEntry.id as string;
    // A distinct file per entry (the competition refuses the same content twice): same metadata, another length.
    const file = await makeVideoWithMetadata({ seconds: 1 + (videoLength++ % 4) });
    const uploaded = await multipartGraphql(
      system.gatewayUrl,
      `mutation($entryId: ID!, $file: Upload!) { uploadVideo(entryId: $entryId, file: $file) { id status url posterUrl original: url(rendition: ORIGINAL) } }`,
      { entryId, file: null },
      { "variables.file": { path: file, type: "video/quicktime" } },
      { token: owner },
    );
    expect(uploaded.errors).toBeUndefined();
    const submitted = await graphql(
      system.gatewayUrl,
      `
        mutation ($id: ID!) {
          submitEntry(id: $id) {
            status
          }
        }
      `,
      { variables: { id: entryId }, token: owner },
    );
    expect(submitted.errors).toBeUndefined();
    return { venue, owner, entryId, uploaded: uploaded.data!.uploadVideo };
  }

  async function grantJudge(entryId: string): Promise<string> {
    const judgeId = (await system.dataSources.entries.query(`SELECT gen_random_uuid() AS id`))[0].id as string;
    await system.dataSources.entries.query(`INSERT INTO entries.entry_grant (entry_id, audience, source) VALUES ($1, $2, 'test')`, [
      entryId,
      `judge:${judgeId}`,
    ]);
    return tokenFor({ role: "JUDGE", judge: judgeId, sub: `test:judge:${judgeId}` });
  }

  /** MicroVideo's URL fields and VideoRendition's values, read from the gateway's schema (not from a list in this test). */
  async function urlSelections(): Promise<{ alias: string; selection: string; rendition: string | null }[]> {
    const response = await graphql(
      system.gatewayUrl,
      `
        {
          video: __type(name: "MicroVideo") {
            fields {
              name
              args {
                name
              }
              type {
                name
                ofType {
                  name
                }
              }
            }
          }
          renditions: __type(name: "VideoRendition") {
            enumValues {
              name
            }
          }
        }
      `,
      { token: tokenFor({ role: "ORGANIZER" }) },
    );
    const values: string[] = response.data!.renditions.enumValues.map((value: { name: string }) => value.name);
    const fields = response.data!.video.fields.filter(
      (field: { name: string; type: { name: string | null; ofType: { name: string } | null } }) =>
        /url$/i.test(field.name) && (field.type.name ?? field.type.ofType?.name) === "String",
    );
    expect(fields.map((field: { name: string }) => field.name).sort()).toEqual(expect.arrayContaining(["posterUrl", "url"]));
    return fields.flatMap((field: { name: string; args: { name: string }[] }) =>
      field.args.some((arg) => arg.name === "rendition")
        ? values.map((value) => ({
            alias: `${field.name}_${value}`,
            selection: `${field.name}_${value}: ${field.name}(rendition: ${value})`,
            rendition: value,
          }))
        : [{ alias: field.name, selection: field.name, rendition: null }],
    );
  }

  /** Downloads a URL through the gateway and returns the file's path and bytes. */
  async function download(url: string): Promise<{ file: string; bytes: Buffer; contentType: string | null }> {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    const file = path.join(downloads, `${unique()}.bin`);
    await fs.writeFile(file, bytes);
    return { file, bytes, contentType: response.headers.get("content-type") };
  }

  /** Each URL field (each rendition) for one caller, by alias, through entry(id) at the gateway. */
  async function videoUrls(entryId: string, token: string | undefined) {
    const selections = await urlSelections();
    // One request per selection: a FORBIDDEN field must not hide the others' values.
    const answers = new Map<string, GraphqlResponse>();
    for (const item of selections) {
      answers.set(
        item.alias,
        await graphql(system.gatewayUrl, `query($id: ID!) { entry(id: $id) { video { status ${item.selection} } } }`, { variables: { id: entryId }, token }),
      );
    }
    return { selections, answers };
  }

  it("gives judges and the public no video URL while the rendition is PROCESSING, never the original", async () => {
    const { entryId, owner, uploaded } = await submittedVideoEntry();
    expect(uploaded).toMatchObject({ status: "PROCESSING", url: null, posterUrl: null });
    expect(uploaded.original).toEqual(expect.stringContaining("/media/videos/"));
    await seedExhibition(system, { entryIds: [entryId] });
    const judge = await grantJudge(entryId);

    for (const [who, token] of [
      ["judge", judge],
      ["public", undefined],
    ] as const) {
      const { selections, answers } = await videoUrls(entryId, token);
      for (const item of selections) {
        const answer = answers.get(item.alias)!;
        if (item.rendition === "ORIGINAL") {
          expect([who, item.alias, errorCodes(answer)]).toEqual([who, item.alias, ["FORBIDDEN"]]);
        } else {
          expect([who, item.alias, answer.errors]).toEqual([who, item.alias, undefined]);
          expect([who, item.alias, answer.data!.entry.video]).toEqual([who, item.alias, { status: "PROCESSING", [item.alias]: null }]);
        }
      }
    }
    // The owner gets the original at once (and, like everyone, no stream yet).
    const mine = await graphql(
      system.gatewayUrl,
      `
        query ($id: ID!) {
          entry(id: $id) {
            video {
              status
              url
              original: url(rendition: ORIGINAL)
            }
          }
        }
      `,
      { variables: { id: entryId }, token: owner },
    );
    expect(mine.data!.entry.video).toMatchObject({ status: "PROCESSING", url: null, original: expect.stringContaining("/media/") });
    await runRenditionJobs();
  });

  it("once READY, every URL a judge or the public can fetch (entry, entries, exhibition works, _entities) serves a file without metadata", async () => {
    const { entryId, owner } = await submittedVideoEntry();
    const { exhibition } = await seedExhibition(system, { entryIds: [entryId] });
    const judge = await grantJudge(entryId);
    expect(await runRenditionJobs()).toBeGreaterThanOrEqual(1);

    const fetched: string[] = [];
    for (const [who, token] of [
      ["judge", judge],
      ["public", undefined],
    ] as const) {
      const { selections, answers } = await videoUrls(entryId, token);
      for (const item of selections) {
        const answer = answers.get(item.alias)!;
        if (item.rendition === "ORIGINAL") {
          expect([who, item.alias, errorCodes(answer)]).toEqual([who, item.alias, ["FORBIDDEN"]]);
          continue;
        }
        expect([who, item.alias, answer.errors]).toEqual([who, item.alias, undefined]);
        const url = answer.data!.entry.video[item.alias] as string;
        expect([who, item.alias, answer.data!.entry.video.status, typeof url]).toEqual([who, item.alias, "READY", "string"]);
        const { file, bytes, contentType } = await download(url);
        if (contentType === "video/mp4") {
          expect([who, item.alias, await metadataProblems(file, bytes)]).toEqual([who, item.alias, []]);
          expect((await probeVideo(file)).streams.map((stream) => stream.codec_name)).toEqual(["h264", "aac"]);
        } else {
          expect([who, item.alias, contentType]).toEqual([who, item.alias, "image/jpeg"]);
          for (const needle of [SAMPLE_VIDEO_METADATA.artist, SAMPLE_VIDEO_METADATA.location, "Exif", "Lavc"])
            expect([who, item.alias, bytes.includes(Buffer.from(needle))]).toEqual([who, item.alias, false]);
        }
        fetched.push(url);
      }
    }
    expect(fetched.length).toBeGreaterThanOrEqual(4);

    // The other paths to the same video hand out the same metadata-free files.
    const listed = await graphql(
      system.gatewayUrl,
      `
        {
          entries(first: 50) {
            edges {
              node {
                id
                video {
                  url
                }
              }
            }
          }
        }
      `,
      { token: judge },
    );
    const viaList = listed.data!.entries.edges.find((edge: { node: { id: string } }) => edge.node.id === entryId).node.video.url;
    const shown = await graphql(
      system.gatewayUrl,
      `
        query ($slug: String!) {
          exhibition(slug: $slug) {
            works(first: 10) {
              edges {
                node {
                  entry {
                    id
                    video {
                      url
                      posterUrl
                      original: url(rendition: ORIGINAL)
                    }
                  }
                }
              }
            }
          }
        }
      `,
      {
        variables: { slug: exhibition.slug },
      },
    );
    expect(errorCodes(shown)).toEqual(["FORBIDDEN"]);
    const viaExhibition = shown.data!.exhibition.works.edges[0].node.entry.video;
    for (const token of [judge, undefined]) {
      const direct = await entities(
        system.urls.entries,
        [{ __typename: "Entry", id: entryId }],
        `... on Entry { video { url posterUrl original: url(rendition: ORIGINAL) } }`,
        token,
      );
      expect(errorCodes(direct)).toEqual(["FORBIDDEN"]);
      const { file, bytes } = await download(direct.data!._entities[0].video.url.replace(/^https?:\/\/[^/]+/, new URL(system.gatewayUrl).origin));
      expect(await metadataProblems(file, bytes)).toEqual([]);
    }
    for (const url of [viaList, viaExhibition.url]) {
      const { file, bytes } = await download(url);
      expect(await metadataProblems(file, bytes)).toEqual([]);
    }

    // The original keeps every bit of its metadata, for its owner and the organisers.
    for (const token of [owner, tokenFor({ role: "ORGANIZER" })]) {
      const answer = await graphql(
        system.gatewayUrl,
        `
          query ($id: ID!) {
            entry(id: $id) {
              video {
                original: url(rendition: ORIGINAL)
              }
            }
          }
        `,
        { variables: { id: entryId }, token },
      );
      expect(answer.errors).toBeUndefined();
      const { file } = await download(answer.data!.entry.video.original);
      const items = metadataItems(await probeVideo(file)).join("\n");
      expect(items).toContain(`artist=${SAMPLE_VIDEO_METADATA.artist}`);
      expect(items).toContain(SAMPLE_VIDEO_METADATA.location);
      expect(items).toContain("chapter 1");
    }
  });

  it("every path to a video and every media URL field in the API is one these tests check", async () => {
    // Generated from the composed schema: a new field returning MicroVideo, or a new URL field anywhere, fails here
    // until it is covered above (video paths) or by the photo tests (Photo.url), so no new path can hand out an original.
    const answer = await graphql(
      system.gatewayUrl,
      `
        {
          __schema {
            types {
              name
              fields {
                name
                type {
                  name
                  ofType {
                    name
                    ofType {
                      name
                      ofType {
                        name
                      }
                    }
                  }
                }
              }
            }
          }
        }
      `,
      { token: tokenFor({ role: "ORGANIZER" }) },
    );
    type TypeRef = { name: string | null; ofType?: TypeRef | null };
    const named = (type: TypeRef): string | null => type.name ?? (type.ofType ? named(type.ofType) : null);
    const toVideo: string[] = [];
    const urlFields: string[] = [];
    for (const type of answer.data!.__schema.types as { name: string; fields: { name: string; type: TypeRef }[] | null }[]) {
      if (type.name.startsWith("__")) continue;
      for (const field of type.fields ?? []) {
        if (["MicroVideo", "VideoRenditionFile"].includes(named(field.type)!)) toVideo.push(`${type.name}.${field.name}`);
        if (/url$/i.test(field.name) && named(field.type) === "String") urlFields.push(`${type.name}.${field.name}`);
      }
    }
    // retryVideoRenditions answers a FAILED video (no streaming file yet) to its owners and organisers only (the
    // visibility contract's WRITES gate), and its url follows the same rule as Entry.video's.
    expect(toVideo.sort()).toEqual(["Entry.video", "MicroVideo.renditions", "Mutation.retryVideoRenditions", "Mutation.uploadVideo"]);
    // MediaUploadPart.url reads nothing: it is signed for one part's PUT only (there is no GET route under /uploads/)
    // and handed to the entry's owners only (the visibility contract's mediaUpload rule).
    expect(urlFields.sort()).toEqual(["MediaUploadPart.url", "MicroVideo.posterUrl", "MicroVideo.url", "Photo.url", "Webhook.url"]);
  });

  it("a signed stream URL cannot be re-targeted at the original", async () => {
    const { entryId, owner } = await submittedVideoEntry();
    const judge = await grantJudge(entryId);
    await runRenditionJobs();
    const judged = await graphql(
      system.gatewayUrl,
      `
        query ($id: ID!) {
          entry(id: $id) {
            video {
              url
              posterUrl
            }
          }
        }
      `,
      { variables: { id: entryId }, token: judge },
    );
    const owned = await graphql(
      system.gatewayUrl,
      `
        query ($id: ID!) {
          entry(id: $id) {
            video {
              original: url(rendition: ORIGINAL)
            }
          }
        }
      `,
      { variables: { id: entryId }, token: owner },
    );
    const stream = new URL(judged.data!.entry.video.url);
    const original = new URL(owned.data!.entry.video.original);
    for (const signed of [stream, new URL(judged.data!.entry.video.posterUrl)]) {
      const retargeted = `${original.origin}${original.pathname}${signed.search}`;
      const response = await fetch(retargeted);
      expect([retargeted, response.status]).toEqual([retargeted, 403]);
    }
  });
});
