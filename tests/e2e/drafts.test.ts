// removePhoto and reorderPhotos on DRAFT entries, through the gateway: owner-scoped like the uploads, coded errors,
// and a removed photo's files deleted only once the change has committed.
import { makeJpeg } from "../../subgraphs/entries/media/fixtures";
import { mediaStorage } from "../../subgraphs/entries/media/media-store";
import { seedCompetition, seedVenue, unique } from "../kit/factories";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { multipartGraphql } from "../kit/multipart";
import { startSystem, TestSystem } from "../kit/system";

const PHOTOS = `id status photos { id position }`;
const REMOVE = `mutation($photoId: ID!) { removePhoto(photoId: $photoId) { ${PHOTOS} } }`;
const REORDER = `mutation($entryId: ID!, $photoIds: [ID!]!) { reorderPhotos(entryId: $entryId, photoIds: $photoIds) { ${PHOTOS} } }`;

describe("draft photos: remove and reorder", () => {
  let system: TestSystem;
  let hue = 0;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries"] });
    await seedCompetition(system.dataSources.entries);
  });
  afterAll(() => system.stop());

  /** A venue's DRAFT photo set with `count` real photos uploaded through the gateway. */
  async function draftWithPhotos(count = 3) {
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
            theme: "NATURE",
            kind: "PHOTO_SET",
            title: `Delta ${unique()}`,
            entrant: { name: "Ana Sousa", email: `${unique().toLowerCase()}@example.org`, country: "PT" },
            consentToRules: true,
            consentToPublication: true,
            declaresNoGenerativeAi: true,
          },
        },
        token,
      },
    );
    const entryId = created.data!.createEntry.id as string;
    const files: Record<string, { path: string }> = {};
    for (let index = 0; index < count; index++)
      files[`variables.files.${index}`] = { path: await makeJpeg({ hue: (hue += 7) % 360, width: 1800 + (hue % 50), height: 1600 }) };
    const uploaded = await multipartGraphql(
      system.gatewayUrl,
      `mutation($entryId: ID!, $files: [Upload!]!) { uploadPhotos(entryId: $entryId, files: $files) { id } }`,
      { entryId, files: Array(count).fill(null) },
      files,
      { token },
    );
    expect(uploaded.errors).toBeUndefined();
    const photoIds = uploaded.data!.uploadPhotos.map((photo: { id: string }) => photo.id) as string[];
    return { venue, token, entryId, photoIds };
  }

  const keysOf = async (photoId: string): Promise<string[]> => {
    const [row] = await system.dataSources.entries.query(`SELECT original_key, display_key, thumbnail_key FROM entries.photo WHERE id = $1`, [photoId]);
    return [row.original_key, row.display_key, row.thumbnail_key];
  };
  const allExist = async (keys: string[]) => (await Promise.all(keys.map((key) => mediaStorage().exists(key)))).every(Boolean);
  const noneExist = async (keys: string[]) => !(await Promise.all(keys.map((key) => mediaStorage().exists(key)))).some(Boolean);

  it("reorders a draft's photos", async () => {
    const { token, entryId, photoIds } = await draftWithPhotos();
    const reversed = [...photoIds].reverse();
    const answer = await graphql(system.gatewayUrl, REORDER, { variables: { entryId, photoIds: reversed }, token });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.reorderPhotos.photos).toEqual(reversed.map((id, index) => ({ id, position: index + 1 })));
    const read = await graphql(
      system.gatewayUrl,
      `
        query ($id: ID!) {
          entry(id: $id) {
            photos {
              id
              position
            }
          }
        }
      `,
      { variables: { id: entryId }, token },
    );
    expect(read.data!.entry.photos.map((photo: { id: string }) => photo.id)).toEqual(reversed);
  });

  it("refuses an order that is not exactly the entry's photos, each once", async () => {
    const { token, entryId, photoIds } = await draftWithPhotos();
    const other = await draftWithPhotos(1);
    for (const wrong of [
      photoIds.slice(1),
      [...photoIds, other.photoIds[0]],
      [photoIds[0], photoIds[0], photoIds[1]],
      [photoIds[0], photoIds[1], other.photoIds[0]],
      [...photoIds.slice(0, 2), "not-an-id"],
      [],
    ]) {
      const answer = await graphql(system.gatewayUrl, REORDER, { variables: { entryId, photoIds: wrong }, token });
      expect([wrong, errorCodes(answer)]).toEqual([wrong, ["BAD_USER_INPUT"]]);
    }
    const read = await graphql(
      system.gatewayUrl,
      `
        query ($id: ID!) {
          entry(id: $id) {
            photos {
              id
            }
          }
        }
      `,
      { variables: { id: entryId }, token },
    );
    expect(read.data!.entry.photos.map((photo: { id: string }) => photo.id)).toEqual(photoIds);
  });

  it("removes a photo, closes the gap, and deletes its files after the change commits", async () => {
    const { token, photoIds } = await draftWithPhotos();
    const removedKeys = await keysOf(photoIds[1]);
    const keptKeys = [...(await keysOf(photoIds[0])), ...(await keysOf(photoIds[2]))];
    expect(await allExist(removedKeys)).toBe(true);
    const answer = await graphql(system.gatewayUrl, REMOVE, { variables: { photoId: photoIds[1] }, token });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.removePhoto.photos).toEqual([
      { id: photoIds[0], position: 1 },
      { id: photoIds[2], position: 2 },
    ]);
    expect(await noneExist(removedKeys)).toBe(true);
    expect(await allExist(keptKeys)).toBe(true);
    expect(errorCodes(await graphql(system.gatewayUrl, REMOVE, { variables: { photoId: photoIds[1] }, token }))).toEqual(["NOT_FOUND"]);
  });

  it("keeps the files when the change does not commit", async () => {
    const { token, entryId, photoIds } = await draftWithPhotos(2);
    const keys = await keysOf(photoIds[0]);
    // Make the transaction fail at its last statement (the entry's update), after the photo row was deleted in it.
    const entries = system.dataSources.entries;
    const trigger = `fail_${unique().toLowerCase()}`;
    await entries.query(`CREATE FUNCTION entries.${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await entries.query(
      `CREATE TRIGGER ${trigger} BEFORE UPDATE ON entries.entry FOR EACH ROW WHEN (OLD.id = '${entryId}') EXECUTE FUNCTION entries.${trigger}()`,
    );
    try {
      const answer = await graphql(system.gatewayUrl, REMOVE, { variables: { photoId: photoIds[0] }, token });
      expect(answer.errors).toBeDefined();
    } finally {
      await entries.query(`DROP TRIGGER ${trigger} ON entries.entry`);
      await entries.query(`DROP FUNCTION entries.${trigger}()`);
    }
    expect(await allExist(keys)).toBe(true);
    expect(await keysOf(photoIds[0])).toEqual(keys);
  });

  it("is for the owner only, on drafts only", async () => {
    const { venue, token, entryId, photoIds } = await draftWithPhotos();
    const stranger = await seedVenue(system.dataSources.venues);
    const callers: [string, string | undefined, string][] = [
      ["another tenant's venue", tokenFor({ role: "VENUE", org: stranger.organizationId, venues: [stranger.id] }), "NOT_FOUND"],
      ["another tenant's partner", tokenFor({ role: "PARTNER", org: stranger.organizationId, venues: [stranger.id] }), "NOT_FOUND"],
      ["a judge", tokenFor({ role: "JUDGE", judge: "00000000-0000-4000-8000-000000000001" }), "FORBIDDEN"],
      ["the public", undefined, "UNAUTHENTICATED"],
    ];
    for (const [who, caller, code] of callers) {
      expect([who, errorCodes(await graphql(system.gatewayUrl, REMOVE, { variables: { photoId: photoIds[0] }, token: caller }))]).toEqual([who, [code]]);
      expect([who, errorCodes(await graphql(system.gatewayUrl, REORDER, { variables: { entryId, photoIds }, token: caller }))]).toEqual([who, [code]]);
    }
    // The owner's organisation may, as it may upload.
    const partner = tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] });
    expect((await graphql(system.gatewayUrl, REORDER, { variables: { entryId, photoIds: [...photoIds].reverse() }, token: partner })).errors).toBeUndefined();

    const submitted = await graphql(
      system.gatewayUrl,
      `
        mutation ($id: ID!) {
          submitEntry(id: $id) {
            status
          }
        }
      `,
      { variables: { id: entryId }, token },
    );
    expect(submitted.data!.submitEntry.status).toBe("SUBMITTED");
    expect(errorCodes(await graphql(system.gatewayUrl, REMOVE, { variables: { photoId: photoIds[0] }, token }))).toEqual(["CONFLICT"]);
    expect(errorCodes(await graphql(system.gatewayUrl, REORDER, { variables: { entryId, photoIds }, token }))).toEqual(["CONFLICT"]);
    expect(await allExist(await keysOf(photoIds[0]))).toBe(true);
  });
});
