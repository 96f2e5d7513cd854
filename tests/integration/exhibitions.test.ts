import { randomUUID } from "node:crypto";
import { EntryStatus } from "../../subgraphs/entries/entry/entry.entity";
import { ExhibitionStatus } from "../../subgraphs/exhibitions/exhibition/exhibition.entity";
import { seedExhibition, seedTenant } from "../kit/exhibitions-factories";
import { seedEntry } from "../kit/factories";
import { entities, errorCodes, graphql, tokenFor } from "../kit/http";
import { startSystem, TestSystem } from "../kit/system";

const CREATE = `mutation($input: CreateExhibitionInput!) {
  createExhibition(input: $input) { id slug status kind defaultLocale title titleTranslations { locale text } hostVenues { id } organization { id } }
}`;
const ADD_WORKS = `mutation($input: AddExhibitedWorksInput!) { addExhibitedWorks(input: $input) { id position entry { id } section { id } } }`;
const WORKS = `query($id: ID!, $first: Int, $after: String) {
  exhibition(id: $id) { id status works(first: $first, after: $after) { totalCount edges { node { id position entry { id } section { id } } } pageInfo { hasNextPage endCursor } } }
}`;

describe("exhibitions subgraph", () => {
  let system: TestSystem;
  let url: string;
  const organizer = () => tokenFor({ role: "ORGANIZER" });
  const partnerOf = (tenant: { organizationId: string; venue: { id: string } }) =>
    tokenFor({ role: "PARTNER", org: tenant.organizationId, venues: [tenant.venue.id] });
  const title = [
    { locale: "zh", text: "和合共生" },
    { locale: "en", text: "Harmonious Co-Existence" },
    { locale: "pt", text: "Coexistência Harmoniosa" },
  ];
  const slug = () => `show-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries", "exhibitions"], gateway: false });
    url = system.urls.exhibitions;
  });
  afterAll(() => system.stop());

  async function createExhibition(token: string, input: Record<string, unknown>) {
    const response = await graphql(url, CREATE, { variables: { input: { slug: slug(), kind: "ONLINE", defaultLocale: "zh", title, ...input } }, token });
    expect(response.errors).toBeUndefined();
    return response.data!.createExhibition;
  }

  async function worksOf(exhibitionId: string, token = organizer()) {
    const response = await graphql(url, WORKS, { variables: { id: exhibitionId, first: 100 }, token });
    expect(response.errors).toBeUndefined();
    return response.data!.exhibition.works;
  }

  describe("curation", () => {
    it("creates exhibitions with coded errors for bad input, roles and taken slugs", async () => {
      const tenant = await seedTenant(system, 0);
      const other = await seedTenant(system, 0);
      const input = {
        slug: slug(),
        kind: "ONSITE",
        defaultLocale: "zh",
        title,
        hostVenueIds: [tenant.venue.id],
        opensAt: "2023-01-20T10:00:00Z",
        closesAt: "2023-03-31T18:00:00Z",
      };
      const create = (token: string | undefined, changes: Record<string, unknown> = {}) =>
        graphql(url, CREATE, { variables: { input: { ...input, ...changes } }, token });

      expect(errorCodes(await create(undefined))).toEqual(["UNAUTHENTICATED"]);
      expect(errorCodes(await create(tokenFor({ role: "VENUE", org: tenant.organizationId, venues: [tenant.venue.id] })))).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await create(tokenFor({ role: "JUDGE", judge: randomUUID() })))).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await create(organizer(), { slug: "Not A Slug" }))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await create(organizer(), { title: [{ locale: "en", text: "Only English" }] }))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await create(organizer(), { defaultLocale: "xx" }))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await create(organizer(), { title: [...title, { locale: "zh", text: "again" }] }))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await create(organizer(), { hostVenueIds: [] }))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await create(organizer(), { hostVenueIds: [randomUUID()] }))).toEqual(["NOT_FOUND"]);
      expect(errorCodes(await create(organizer(), { closesAt: "2023-01-01T00:00:00Z" }))).toEqual(["BAD_USER_INPUT"]);

      const created = await create(organizer());
      expect(created.errors).toBeUndefined();
      expect(created.data!.createExhibition).toMatchObject({
        slug: input.slug,
        status: "DRAFT",
        kind: "ONSITE",
        title: "和合共生",
        hostVenues: [{ id: tenant.venue.id }],
        organization: null,
      });
      expect(created.data!.createExhibition.titleTranslations.map((t: any) => t.locale)).toEqual(["zh", "en", "pt"]);
      // The slug is the idempotency key: the same request retried returns the same draft; anything else is CONFLICT.
      expect((await create(organizer())).data!.createExhibition.id).toBe(created.data!.createExhibition.id);
      expect(errorCodes(await create(organizer(), { title: [{ locale: "zh", text: "另一个展览" }] }))).toEqual(["CONFLICT"]);
      expect(errorCodes(await create(tokenFor({ role: "ORGANIZER", sub: "test:another-organiser" })))).toEqual(["CONFLICT"]);
      expect(await system.dataSources.exhibitions.query(`SELECT count(*)::int AS count FROM exhibitions.exhibition WHERE slug = $1`, [input.slug])).toEqual([
        { count: 1 },
      ]);

      // Partners: only at their own venues, always for their own organisation.
      expect(errorCodes(await create(partnerOf(tenant), { slug: slug(), hostVenueIds: [other.venue.id] }))).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await create(partnerOf(tenant), { slug: slug(), kind: "ONLINE", hostVenueIds: [] }))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await create(partnerOf(tenant), { slug: slug(), organizationId: other.organizationId }))).toEqual(["FORBIDDEN"]);
      const byPartner = await create(partnerOf(tenant), { slug: slug() });
      expect(byPartner.errors).toBeUndefined();
      expect(byPartner.data!.createExhibition.organization).toEqual({ id: tenant.organizationId });
    });

    it("adds only works that may be shown, saying why for each refused entry, all or none", async () => {
      const tenant = await seedTenant(system, 2);
      const { venue, organizationId } = tenant;
      const draft = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId, status: EntryStatus.DRAFT });
      const withdrawn = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId, status: EntryStatus.WITHDRAWN });
      const disqualified = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId, status: EntryStatus.DISQUALIFIED });
      const noConsent = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId, consentToPublication: false });
      const unknown = randomUUID();
      const exhibition = await createExhibition(organizer(), {});
      const add = (entryIds: string[], token = organizer(), exhibitionId = exhibition.id) =>
        graphql(url, ADD_WORKS, { variables: { input: { exhibitionId, works: entryIds.map((entryId) => ({ entryId })) } }, token });

      const refused = await add([tenant.entries[0].id, draft.id, withdrawn.id, disqualified.id, noConsent.id, unknown]);
      expect(errorCodes(refused)).toEqual(["BAD_USER_INPUT"]);
      const reasons = Object.fromEntries(refused.errors![0].extensions!.refused.map((item: any) => [item.entryId, item.reason]));
      expect(Object.keys(reasons).sort()).toEqual([draft.id, withdrawn.id, disqualified.id, noConsent.id, unknown].sort());
      expect(reasons[draft.id]).toMatch(/DRAFT.*only submitted entries/);
      expect(reasons[withdrawn.id]).toMatch(/withdrawn/);
      expect(reasons[disqualified.id]).toMatch(/disqualified/);
      expect(reasons[noConsent.id]).toMatch(/consent to publication/);
      expect(reasons[unknown]).toMatch(/no such entry/);
      expect(refused.errors![0].message).toContain(disqualified.id);
      expect((await worksOf(exhibition.id)).totalCount).toBe(0);

      const added = await add(tenant.entries.map((entry) => entry.id));
      expect(added.errors).toBeUndefined();
      expect(added.data!.addExhibitedWorks.map((work: any) => [work.position, work.entry.id])).toEqual([
        [1, tenant.entries[0].id],
        [2, tenant.entries[1].id],
      ]);
      expect(errorCodes(await add([tenant.entries[0].id]))).toEqual(["CONFLICT"]);
      expect(errorCodes(await add([tenant.entries[0].id, tenant.entries[0].id]))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await add([]))).toEqual(["BAD_USER_INPUT"]);

      // A partner's exhibition shows its own organisation's entries only; another partner cannot touch it.
      const other = await seedTenant(system, 1);
      const partnerExhibition = await createExhibition(partnerOf(tenant), { hostVenueIds: [venue.id] });
      const foreign = await add([other.entries[0].id], partnerOf(tenant), partnerExhibition.id);
      expect(errorCodes(foreign)).toEqual(["BAD_USER_INPUT"]);
      expect(foreign.errors![0].extensions!.refused[0].reason).toMatch(/another organisation/);
      expect(errorCodes(await add([other.entries[0].id], organizer(), partnerExhibition.id))).toEqual(["BAD_USER_INPUT"]);
      expect((await add([tenant.entries[0].id], partnerOf(tenant), partnerExhibition.id)).errors).toBeUndefined();
      expect(errorCodes(await add([other.entries[0].id], partnerOf(other), partnerExhibition.id))).toEqual(["NOT_FOUND"]);
      expect(errorCodes(await add([other.entries[0].id], partnerOf(other), exhibition.id))).toEqual(["NOT_FOUND"]);
      const anonymous = await graphql(url, ADD_WORKS, {
        variables: { input: { exhibitionId: partnerExhibition.id, works: [{ entryId: tenant.entries[1].id }] } },
      });
      expect(errorCodes(anonymous)).toEqual(["UNAUTHENTICATED"]);
    });

    it("orders works and sections: add into sections, move, reorder, remove and page", async () => {
      const tenant = await seedTenant(system, 5);
      const exhibition = await createExhibition(organizer(), {});
      const addSection = (text: string, position?: number) =>
        graphql(
          url,
          `
            mutation ($input: AddExhibitionSectionInput!) {
              addExhibitionSection(input: $input) {
                id
                position
                title(locale: "en")
              }
            }
          `,
          {
            variables: {
              input: {
                exhibitionId: exhibition.id,
                title: [
                  { locale: "zh", text: `${text} zh` },
                  { locale: "en", text },
                ],
                position,
              },
            },
            token: organizer(),
          },
        );
      const sport = (await addSection("Sport and exchange")).data!.addExhibitionSection;
      const spring = (await addSection("Spring Festival abroad", 1)).data!.addExhibitionSection;
      expect(errorCodes(await addSection("Too far", 9))).toEqual(["BAD_USER_INPUT"]);
      const sections = await graphql(
        url,
        `
          query ($id: ID!) {
            exhibition(id: $id) {
              sections {
                id
                position
                title(locale: "en")
              }
            }
          }
        `,
        {
          variables: { id: exhibition.id },
          token: organizer(),
        },
      );
      expect(sections.data!.exhibition.sections.map((s: any) => [s.position, s.title])).toEqual([
        [1, "Spring Festival abroad"],
        [2, "Sport and exchange"],
      ]);

      const [e1, e2, e3, e4, e5] = tenant.entries.map((entry) => entry.id);
      const added = await graphql(url, ADD_WORKS, {
        variables: {
          input: {
            exhibitionId: exhibition.id,
            works: [
              { entryId: e1, sectionId: spring.id },
              { entryId: e2, sectionId: sport.id },
              { entryId: e3, sectionId: spring.id },
              { entryId: e4 },
              { entryId: e5, sectionId: spring.id },
            ],
          },
        },
        token: organizer(),
      });
      expect(added.errors).toBeUndefined();
      const workOf = Object.fromEntries(added.data!.addExhibitedWorks.map((work: any) => [work.entry.id, work.id]));
      const order = async () => (await worksOf(exhibition.id)).edges.map((edge: any) => [edge.node.position, edge.node.entry.id]);

      const moved = await graphql(
        url,
        `
          mutation ($id: ID!) {
            moveExhibitedWork(id: $id, position: 1) {
              position
            }
          }
        `,
        { variables: { id: workOf[e5] }, token: organizer() },
      );
      expect(moved.data!.moveExhibitedWork.position).toBe(1);
      expect(await order()).toEqual([
        [1, e5],
        [2, e1],
        [3, e2],
        [4, e3],
        [5, e4],
      ]);
      await graphql(
        url,
        `
          mutation ($id: ID!) {
            moveExhibitedWork(id: $id, position: 4) {
              position
            }
          }
        `,
        { variables: { id: workOf[e5] }, token: organizer() },
      );
      expect(await order()).toEqual([
        [1, e1],
        [2, e2],
        [3, e3],
        [4, e5],
        [5, e4],
      ]);
      expect(
        errorCodes(
          await graphql(
            url,
            `
              mutation ($id: ID!) {
                moveExhibitedWork(id: $id, position: 6) {
                  position
                }
              }
            `,
            { variables: { id: workOf[e5] }, token: organizer() },
          ),
        ),
      ).toEqual(["BAD_USER_INPUT"]);

      const reorder = (workIds: string[]) =>
        graphql(
          url,
          `
            mutation ($id: ID!, $workIds: [ID!]!) {
              reorderExhibitedWorks(exhibitionId: $id, workIds: $workIds) {
                id
              }
            }
          `,
          {
            variables: { id: exhibition.id, workIds },
            token: organizer(),
          },
        );
      expect(errorCodes(await reorder([workOf[e1], workOf[e2]]))).toEqual(["CONFLICT"]);
      expect((await reorder([e4, e3, e2, e1, e5].map((entryId) => workOf[entryId]))).errors).toBeUndefined();
      expect(await order()).toEqual([
        [1, e4],
        [2, e3],
        [3, e2],
        [4, e1],
        [5, e5],
      ]);

      // Sections list their works in the exhibition's order; Exhibition.works can filter by section.
      const bySection = await graphql(
        url,
        `
          query ($id: ID!, $section: ID!) {
            exhibition(id: $id) {
              sections {
                works {
                  totalCount
                  edges {
                    node {
                      entry {
                        id
                      }
                    }
                  }
                }
              }
              works(sectionId: $section) {
                totalCount
              }
            }
          }
        `,
        { variables: { id: exhibition.id, section: sport.id }, token: organizer() },
      );
      expect(bySection.data!.exhibition.sections.map((s: any) => s.works.edges.map((edge: any) => edge.node.entry.id))).toEqual([[e3, e1, e5], [e2]]);
      expect(bySection.data!.exhibition.works.totalCount).toBe(1);

      // Paging by cursor.
      const firstPage = await graphql(url, WORKS, { variables: { id: exhibition.id, first: 2 }, token: organizer() });
      const { edges, pageInfo } = firstPage.data!.exhibition.works;
      expect(edges.map((edge: any) => edge.node.entry.id)).toEqual([e4, e3]);
      expect(pageInfo.hasNextPage).toBe(true);
      const secondPage = await graphql(url, WORKS, { variables: { id: exhibition.id, first: 2, after: pageInfo.endCursor }, token: organizer() });
      expect(secondPage.data!.exhibition.works.edges.map((edge: any) => edge.node.entry.id)).toEqual([e2, e1]);
      expect(errorCodes(await graphql(url, WORKS, { variables: { id: exhibition.id, after: "garbage" }, token: organizer() }))).toEqual(["BAD_USER_INPUT"]);

      // Removing closes the gap and keeps the row for the record; removing again is harmless.
      const remove = () =>
        graphql(
          url,
          `
            mutation ($id: ID!) {
              removeExhibitedWork(id: $id) {
                id
              }
            }
          `,
          { variables: { id: workOf[e3] }, token: organizer() },
        );
      expect((await remove()).errors).toBeUndefined();
      expect((await remove()).errors).toBeUndefined();
      expect(await order()).toEqual([
        [1, e4],
        [2, e2],
        [3, e1],
        [4, e5],
      ]);
      const [kept] = await system.dataSources.exhibitions.query(`SELECT removal_reason, position FROM exhibitions.exhibited_work WHERE id = $1`, [workOf[e3]]);
      expect(kept).toEqual({ removal_reason: "CURATOR", position: null });

      // Removing a section keeps its works on show, in no section.
      await graphql(
        url,
        `
          mutation ($id: ID!) {
            removeExhibitionSection(id: $id) {
              id
            }
          }
        `,
        { variables: { id: spring.id }, token: organizer() },
      );
      const after = await worksOf(exhibition.id);
      expect(after.totalCount).toBe(4);
      expect(after.edges.filter((edge: any) => edge.node.section).map((edge: any) => edge.node.entry.id)).toEqual([e2]);
    });
  });

  describe("publishing", () => {
    const publish = (id: string, token = organizer()) =>
      graphql(
        url,
        `
          mutation ($id: ID!) {
            publishExhibition(id: $id) {
              id
              status
              publishedAt
            }
          }
        `,
        { variables: { id }, token },
      );
    const archive = (id: string, token = organizer()) =>
      graphql(
        url,
        `
          mutation ($id: ID!) {
            archiveExhibition(id: $id) {
              id
              status
            }
          }
        `,
        { variables: { id }, token },
      );
    /** Whether the public (no token) can see the entry in the entries subgraph. */
    const isPublic = async (entryId: string) =>
      (
        await graphql(
          system.urls.entries,
          `
            query ($id: ID!) {
              entry(id: $id) {
                id
              }
            }
          `,
          { variables: { id: entryId } },
        )
      ).data!.entry !== null;
    const publicView = async (exhibitionId: string) =>
      (
        await graphql(
          url,
          `
            query ($id: ID!) {
              exhibition(id: $id) {
                id
              }
            }
          `,
          { variables: { id: exhibitionId } },
        )
      ).data!.exhibition;

    const statusOf = async (id: string) =>
      (await system.dataSources.exhibitions.query(`SELECT status FROM exhibitions.exhibition WHERE id = $1`, [id]))[0].status;

    it("is PUBLISHING until the entries service has made the works' entries public, and only then PUBLISHED", async () => {
      const tenant = await seedTenant(system, 3);
      const [e1, e2, e3] = tenant.entries.map((entry) => entry.id);
      const exhibition = await createExhibition(organizer(), {});
      expect(errorCodes(await publish(exhibition.id))).toEqual(["CONFLICT"]); // no works yet
      const added = await graphql(url, ADD_WORKS, {
        variables: { input: { exhibitionId: exhibition.id, works: [{ entryId: e1 }, { entryId: e2 }] } },
        token: organizer(),
      });
      const workOf = Object.fromEntries(added.data!.addExhibitedWorks.map((work: any) => [work.entry.id, work.id]));
      expect(await isPublic(e1)).toBe(false);
      expect(await publicView(exhibition.id)).toBeNull();

      // The entries service refuses the grant (a failing handler): the publish is accepted, the exhibition waits
      // in PUBLISHING, hidden, and the grant is retried until it succeeds.
      const entriesDb = system.dataSources.entries;
      await entriesDb.query(`CREATE FUNCTION entries.refuse_grant() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'grant refused'; END $$`);
      await entriesDb.query(`CREATE TRIGGER refuse_grant BEFORE INSERT ON entries.entry_grant FOR EACH ROW EXECUTE FUNCTION entries.refuse_grant()`);
      try {
        const accepted = await publish(exhibition.id);
        expect(accepted.errors).toBeUndefined();
        expect(accepted.data!.publishExhibition.status).toBe("PUBLISHING");
        await system.settleEvents();
        expect(await statusOf(exhibition.id)).toBe("PUBLISHING");
        expect(await publicView(exhibition.id)).toBeNull();
        expect(await isPublic(e1)).toBe(false);
        expect(errorCodes(await publish(exhibition.id, tokenFor({ role: "PARTNER", org: tenant.organizationId, venues: [tenant.venue.id] })))).toEqual([
          "NOT_FOUND",
        ]);
      } finally {
        await entriesDb.query(`DROP TRIGGER refuse_grant ON entries.entry_grant`);
        await entriesDb.query(`DROP FUNCTION entries.refuse_grant()`);
      }
      await system.settleEvents();
      expect(await statusOf(exhibition.id)).toBe("PUBLISHED");
      expect(await publicView(exhibition.id)).toEqual({ id: exhibition.id });
      expect([await isPublic(e1), await isPublic(e2), await isPublic(e3)]).toEqual([true, true, false]);

      // A work added to a published exhibition shows once its entry is public, not before.
      const publicWorks = async () =>
        (
          await graphql(
            url,
            `
              query ($id: ID!) {
                exhibition(id: $id) {
                  works(first: 10) {
                    totalCount
                  }
                }
              }
            `,
            { variables: { id: exhibition.id } },
          )
        ).data!.exhibition.works.totalCount;
      await graphql(url, ADD_WORKS, { variables: { input: { exhibitionId: exhibition.id, works: [{ entryId: e3 }] } }, token: organizer() });
      if (!(await isPublic(e3))) expect(await publicWorks()).toBe(2);
      await system.settleEvents();
      expect(await isPublic(e3)).toBe(true);
      expect(await publicWorks()).toBe(3);
      // A removed work vanishes at once; its entry stops being public once the narrowed grant is applied.
      await graphql(
        url,
        `
          mutation ($id: ID!) {
            removeExhibitedWork(id: $id) {
              id
            }
          }
        `,
        { variables: { id: workOf[e1] }, token: organizer() },
      );
      expect(await publicWorks()).toBe(2);
      await system.settleEvents();
      expect(await isPublic(e1)).toBe(false);

      // An entry disqualified since it was added leaves the exhibition (entry.disqualified), and stops being public.
      const disqualified = await graphql(
        system.urls.entries,
        `
          mutation ($id: ID!) {
            disqualifyEntry(id: $id, reason: "generative AI") {
              status
            }
          }
        `,
        {
          variables: { id: e2 },
          token: organizer(),
        },
      );
      expect(disqualified.data!.disqualifyEntry.status).toBe("DISQUALIFIED");
      await system.settleEvents();
      expect(await publicWorks()).toBe(1);
      expect(await isPublic(e2)).toBe(false);

      // Archiving hides it at once and withdraws the grants; archiving again is harmless.
      expect((await archive(exhibition.id)).data!.archiveExhibition.status).toBe("ARCHIVED");
      expect((await archive(exhibition.id)).errors).toBeUndefined();
      expect(await publicView(exhibition.id)).toBeNull();
      await system.settleEvents();
      expect(await isPublic(e3)).toBe(false);
    });
  });

  describe("visibility", () => {
    it("shows drafts and archived exhibitions only to organisers and the owning organisation, on root fields and _entities", async () => {
      const owner = await seedTenant(system, 3);
      const stranger = await seedTenant(system, 0);
      const seeded = {
        draft: await seedExhibition(system, {
          status: ExhibitionStatus.DRAFT,
          organizationId: owner.organizationId,
          hostVenueIds: [owner.venue.id],
          entryIds: [owner.entries[0].id],
        }),
        published: await seedExhibition(system, {
          status: ExhibitionStatus.PUBLISHED,
          organizationId: owner.organizationId,
          hostVenueIds: [owner.venue.id],
          entryIds: [owner.entries[1].id],
        }),
        archived: await seedExhibition(system, {
          status: ExhibitionStatus.ARCHIVED,
          organizationId: owner.organizationId,
          hostVenueIds: [owner.venue.id],
          entryIds: [owner.entries[2].id],
        }),
      };
      const ids = Object.fromEntries(Object.entries(seeded).map(([name, item]) => [item.exhibition.id, name]));
      const viewers: [string, string | undefined, string[]][] = [
        ["public", undefined, ["published"]],
        ["judge", tokenFor({ role: "JUDGE", judge: randomUUID() }), ["published"]],
        ["the owner's venue", tokenFor({ role: "VENUE", org: owner.organizationId, venues: [owner.venue.id] }), ["published"]],
        ["another partner", partnerOf(stranger), ["published"]],
        ["the owning partner", partnerOf(owner), ["archived", "draft", "published"]],
        ["an organiser", organizer(), ["archived", "draft", "published"]],
      ];
      const names = (list: { id: string }[]) =>
        list
          .map((item) => ids[item.id])
          .filter(Boolean)
          .sort();

      for (const [who, token, expected] of viewers) {
        const list = await graphql(
          url,
          `
            {
              exhibitions(first: 100) {
                edges {
                  node {
                    id
                  }
                }
              }
            }
          `,
          { token },
        );
        expect([who, names(list.data!.exhibitions.edges.map((edge: any) => edge.node))]).toEqual([who, expected]);

        const one: string[] = [];
        for (const { exhibition } of Object.values(seeded)) {
          const byId = await graphql(
            url,
            `
              query ($id: ID!) {
                exhibition(id: $id) {
                  id
                }
              }
            `,
            { variables: { id: exhibition.id }, token },
          );
          const bySlug = await graphql(
            url,
            `
              query ($slug: String!) {
                exhibition(slug: $slug) {
                  id
                }
              }
            `,
            { variables: { slug: exhibition.slug }, token },
          );
          expect(byId.data!.exhibition?.id).toBe(bySlug.data!.exhibition?.id);
          if (byId.data!.exhibition) one.push(ids[exhibition.id]);
        }
        expect([who, one.sort()]).toEqual([who, expected]);

        const viaEntities = await entities(
          url,
          Object.values(seeded).map(({ exhibition }) => ({ __typename: "Exhibition", id: exhibition.id })),
          "... on Exhibition { id status }",
          token,
        );
        expect(viaEntities.errors).toBeUndefined();
        expect([who, names(viaEntities.data!._entities.filter(Boolean))]).toEqual([who, expected]);

        const venue = await entities(url, [{ __typename: "Venue", id: owner.venue.id }], "... on Venue { exhibitions { id } }", token);
        expect([who, names(venue.data!._entities[0].exhibitions)]).toEqual([who, expected]);

        const entryRefs = owner.entries.map((entry) => ({ __typename: "Entry", id: entry.id }));
        const entry = await entities(url, entryRefs, "... on Entry { exhibitions { id } }", token);
        expect([who, names(entry.data!._entities.flatMap((item: any) => item.exhibitions))]).toEqual([who, expected]);

        const works: string[] = [];
        for (const [name, item] of Object.entries(seeded)) {
          const work = await graphql(
            url,
            `
              query ($id: ID!) {
                exhibitedWork(id: $id) {
                  id
                  exhibition {
                    id
                  }
                }
              }
            `,
            { variables: { id: item.works[0].id }, token },
          );
          if (work.data!.exhibitedWork) works.push(name);
        }
        expect([who, works.sort()]).toEqual([who, expected]);
      }

      // The list filters by host venue and status, within what the caller may see.
      const filtered = async (filter: Record<string, unknown>, token?: string) =>
        names(
          (
            await graphql(
              url,
              `
                query ($filter: ExhibitionFilter) {
                  exhibitions(filter: $filter) {
                    edges {
                      node {
                        id
                      }
                    }
                  }
                }
              `,
              { variables: { filter }, token },
            )
          ).data!.exhibitions.edges.map((edge: any) => edge.node),
        );
      expect(await filtered({ hostVenueId: owner.venue.id }, organizer())).toEqual(["archived", "draft", "published"]);
      expect(await filtered({ hostVenueId: owner.venue.id, status: "DRAFT" }, organizer())).toEqual(["draft"]);
      expect(await filtered({ hostVenueId: owner.venue.id, status: "DRAFT" })).toEqual([]);
      expect(await filtered({ hostVenueId: stranger.venue.id }, organizer())).toEqual([]);

      // Another organisation's partner: a draft does not exist for it; a published one is not its to change.
      const update = (id: string) =>
        graphql(
          url,
          `
            mutation ($input: UpdateExhibitionInput!) {
              updateExhibition(input: $input) {
                id
              }
            }
          `,
          {
            variables: { input: { id, slug: `taken-${randomUUID().slice(0, 6)}` } },
            token: partnerOf(stranger),
          },
        );
      expect(errorCodes(await update(seeded.draft.exhibition.id))).toEqual(["NOT_FOUND"]);
      expect(errorCodes(await update(seeded.published.exhibition.id))).toEqual(["FORBIDDEN"]);
      expect(
        (
          await graphql(
            url,
            `
              mutation ($input: UpdateExhibitionInput!) {
                updateExhibition(input: $input) {
                  id
                }
              }
            `,
            {
              variables: { input: { id: seeded.draft.exhibition.id, kind: "ONSITE" } },
              token: partnerOf(owner),
            },
          )
        ).errors,
      ).toBeUndefined();
    });
  });

  describe("languages", () => {
    it("picks the locale argument, then Accept-Language, then the exhibition's default language", async () => {
      const tenant = await seedTenant(system, 1);
      const { exhibition } = await seedExhibition(system, {
        defaultLocale: "zh",
        titleText: { zh: "和合共生", en: "Harmonious Co-Existence", pt: "Coexistência Harmoniosa" },
        descriptionText: { zh: "展览介绍", en: "About the exhibition" },
        sections: [{ zh: "海外过春节", en: "Spring Festival abroad" }],
        entryIds: [tenant.entries[0].id],
        captionText: () => ({ zh: "里斯本的舞龙", pt: "Dança do dragão em Lisboa" }),
      });
      const query = `query($slug: String!, $locale: String) { exhibition(slug: $slug) {
        title(locale: $locale) description(locale: $locale)
        sections { title(locale: $locale) }
        works { edges { node { caption(locale: $locale) } } }
      } }`;
      const read = async (locale: string | null, acceptLanguage?: string) => {
        const response = await graphql(url, query, {
          variables: { slug: exhibition.slug, locale },
          headers: acceptLanguage ? { "accept-language": acceptLanguage } : {},
        });
        expect(response.errors).toBeUndefined();
        const page = response.data!.exhibition;
        return [page.title, page.description, page.sections[0].title, page.works.edges[0].node.caption];
      };

      expect(await read("pt")).toEqual(["Coexistência Harmoniosa", "展览介绍", "海外过春节", "Dança do dragão em Lisboa"]);
      expect(await read("en")).toEqual(["Harmonious Co-Existence", "About the exhibition", "Spring Festival abroad", "里斯本的舞龙"]);
      expect(await read(null)).toEqual(["和合共生", "展览介绍", "海外过春节", "里斯本的舞龙"]);
      expect(await read("de")).toEqual(["和合共生", "展览介绍", "海外过春节", "里斯本的舞龙"]);
      expect(await read(null, "pt-PT,pt;q=0.9,en;q=0.5")).toEqual([
        "Coexistência Harmoniosa",
        "About the exhibition",
        "Spring Festival abroad",
        "Dança do dragão em Lisboa",
      ]);
      expect(await read("zh", "pt-PT")).toEqual(["和合共生", "展览介绍", "海外过春节", "里斯本的舞龙"]);
      expect(await read("pt-BR")).toEqual(["Coexistência Harmoniosa", "展览介绍", "海外过春节", "Dança do dragão em Lisboa"]);
      const bad = await graphql(url, query, { variables: { slug: exhibition.slug, locale: "not a locale" } });
      expect(errorCodes(bad)).toContain("BAD_USER_INPUT");
    });
  });
});
