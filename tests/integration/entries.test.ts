import { randomUUID } from "node:crypto";
import { replaceGrants } from "../../subgraphs/entries/entry-grant/entry-grant.store";
import { entities, errorCodes, graphql, statementsOf, tokenFor } from "../kit/http";
import { makePublic, seedCompetition, seedEntry, seedVenue, unique } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";
import { Competition } from "../../subgraphs/entries/competition/competition.entity";

const CREATE = `mutation($input: CreateEntryInput!) { createEntry(input: $input) { id status kind title theme { code } entrant { email } venue { id } } }`;

describe("entries subgraph", () => {
  let system: TestSystem;
  let url: string;
  let competition: Competition;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries"], gateway: false });
    url = system.urls.entries;
    competition = await seedCompetition(system.dataSources.entries);
  });
  afterAll(() => system.stop());

  async function venueWithToken() {
    const venue = await seedVenue(system.dataSources.venues);
    return { venue, token: tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] }) };
  }

  const input = (venueId: string, overrides: Record<string, unknown> = {}) => ({
    venueId,
    theme: "NATURE",
    kind: "PHOTO_SET",
    title: "Cranes over Poyang Lake",
    entrant: { name: "Ana Sousa", email: `${unique().toLowerCase()}@example.org`, country: "PT" },
    consentToRules: true,
    consentToPublication: true,
    declaresNoGenerativeAi: true,
    ...overrides,
  });

  it("lets a venue create a draft entry for one of its venues only", async () => {
    const { venue, token } = await venueWithToken();
    const other = await seedVenue(system.dataSources.venues);
    const created = await graphql(url, CREATE, { variables: { input: input(venue.id) }, token });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createEntry).toMatchObject({ status: "DRAFT", kind: "PHOTO_SET", theme: { code: "NATURE" }, venue: { id: venue.id } });
    expect(errorCodes(await graphql(url, CREATE, { variables: { input: input(other.id) }, token }))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await graphql(url, CREATE, { variables: { input: input(venue.id) } }))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await graphql(url, CREATE, { variables: { input: input(venue.id) }, token: tokenFor({ role: "ORGANIZER" }) }))).toEqual(["FORBIDDEN"]);
  });

  it("refuses bad input with BAD_USER_INPUT and stores nothing", async () => {
    const { venue, token } = await venueWithToken();
    const bad = [
      { consentToRules: false },
      { declaresNoGenerativeAi: false },
      { title: "   " },
      { title: "x".repeat(201) },
      { entrant: { name: "A", email: "not-an-email", country: "PT" } },
      { entrant: { name: "A", email: "a@example.org", country: "Portugal" } },
      { idempotencyKey: "short" },
      { venueId: "../../etc" },
    ];
    for (const overrides of bad) {
      const response = await graphql(url, CREATE, { variables: { input: input(venue.id, overrides) }, token });
      expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
    }
    const [{ count }] = await system.dataSources.entries.query(`SELECT count(*)::int AS count FROM entries.entry WHERE venue_id = $1`, [venue.id]);
    expect(count).toBe(0);
  });

  it("returns the same entry for a retried idempotency key, also when the retries arrive at once", async () => {
    const { venue, token } = await venueWithToken();
    const body = input(venue.id, { idempotencyKey: `retry-${unique()}` });
    const responses = await Promise.all(Array.from({ length: 8 }, () => graphql(url, CREATE, { variables: { input: body }, token })));
    for (const response of responses) expect(response.errors).toBeUndefined();
    const ids = new Set(responses.map((response) => response.data!.createEntry.id));
    expect(ids.size).toBe(1);
    const [{ count }] = await system.dataSources.entries.query(`SELECT count(*)::int AS count FROM entries.entry WHERE venue_id = $1`, [venue.id]);
    expect(count).toBe(1);
    const reused = await graphql(url, CREATE, { variables: { input: { ...body, title: "Another work" } }, token });
    expect(errorCodes(reused)).toEqual(["CONFLICT"]);
  });

  it("limits an entrant to four entries per theme, not counting withdrawn ones", async () => {
    const { venue, token } = await venueWithToken();
    const email = `${unique().toLowerCase()}@example.org`;
    const entrant = { name: "Li Wei", email, country: "CN" };
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await graphql(url, CREATE, { variables: { input: input(venue.id, { entrant, title: `Work ${i}` }) }, token });
      expect(response.errors).toBeUndefined();
      ids.push(response.data!.createEntry.id);
    }
    const fifth = await graphql(url, CREATE, { variables: { input: input(venue.id, { entrant, title: "Fifth" }) }, token });
    expect(errorCodes(fifth)).toEqual(["BAD_USER_INPUT"]);
    const otherTheme = await graphql(url, CREATE, { variables: { input: input(venue.id, { entrant, title: "Fifth", theme: "TECHNOLOGY" }) }, token });
    expect(otherTheme.errors).toBeUndefined();
    await graphql(
      url,
      `
        mutation ($id: ID!) {
          withdrawEntry(id: $id) {
            status
          }
        }
      `,
      { variables: { id: ids[0] }, token },
    );
    const afterWithdrawal = await graphql(url, CREATE, { variables: { input: input(venue.id, { entrant, title: "Fifth" }) }, token });
    expect(afterWithdrawal.errors).toBeUndefined();
  });

  it("submits only with the required media, and only inside the submission window", async () => {
    const { venue, token } = await venueWithToken();
    const submit = `mutation($id: ID!) { submitEntry(id: $id) { status submittedAt } }`;
    const draft = await seedEntry(system.dataSources.entries, {
      venueId: venue.id,
      organizationId: venue.organizationId,
      status: "DRAFT" as never,
      kind: "PHOTO_SET" as never,
      photos: 1,
    });
    expect(errorCodes(await graphql(url, submit, { variables: { id: draft.id }, token }))).toEqual(["BAD_USER_INPUT"]);
    const ready = await seedEntry(system.dataSources.entries, {
      venueId: venue.id,
      organizationId: venue.organizationId,
      status: "DRAFT" as never,
      kind: "PHOTO_SET" as never,
      photos: 3,
    });
    const other = await venueWithToken();
    expect(errorCodes(await graphql(url, submit, { variables: { id: ready.id }, token: other.token }))).toEqual(["NOT_FOUND"]);
    const submitted = await graphql(url, submit, { variables: { id: ready.id }, token });
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitEntry.status).toBe("SUBMITTED");

    const late = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, status: "DRAFT" as never, photos: 1 });
    const repository = system.dataSources.entries.getRepository(Competition);
    await repository.update({ id: competition.id }, { submissionClosesAt: new Date(Date.now() - 1000), submissionOpensAt: new Date(Date.now() - 86_400_000) });
    try {
      expect(errorCodes(await graphql(url, submit, { variables: { id: late.id }, token }))).toEqual(["DEADLINE_PASSED"]);
      expect(errorCodes(await graphql(url, CREATE, { variables: { input: input(venue.id) }, token }))).toEqual(["DEADLINE_PASSED"]);
      expect(
        errorCodes(
          await graphql(
            url,
            `
              mutation ($id: ID!) {
                withdrawEntry(id: $id) {
                  status
                }
              }
            `,
            { variables: { id: late.id }, token },
          ),
        ),
      ).toEqual(["DEADLINE_PASSED"]);
    } finally {
      await repository.update({ id: competition.id }, { submissionClosesAt: new Date(Date.now() + 30 * 86_400_000) });
    }
  });

  it("lets only organisers disqualify, with a reason the venue can read", async () => {
    const { venue, token } = await venueWithToken();
    const entry = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });
    const disqualify = `mutation($id: ID!, $reason: String!) { disqualifyEntry(id: $id, reason: $reason) { status disqualificationReason } }`;
    expect(errorCodes(await graphql(url, disqualify, { variables: { id: entry.id, reason: "AI" }, token }))).toEqual(["FORBIDDEN"]);
    const done = await graphql(url, disqualify, { variables: { id: entry.id, reason: "Generative AI detected" }, token: tokenFor({ role: "ORGANIZER" }) });
    expect(done.data!.disqualifyEntry).toEqual({ status: "DISQUALIFIED", disqualificationReason: "Generative AI detected" });
    const seen = await graphql(
      url,
      `
        query ($id: ID!) {
          entry(id: $id) {
            status
            disqualificationReason
          }
        }
      `,
      { variables: { id: entry.id }, token },
    );
    expect(seen.data!.entry).toEqual({ status: "DISQUALIFIED", disqualificationReason: "Generative AI detected" });
  });

  describe("visibility", () => {
    const ENTRY = `query($id: ID!) { entry(id: $id) { id title venue { id } entrant { name email } creditName country } }`;

    it("shows entrant identity only to organisers and the submitting venue or its organisation", async () => {
      const { venue, token } = await venueWithToken();
      const sibling = await seedVenue(system.dataSources.venues, { organizationId: venue.organizationId });
      const other = await venueWithToken();
      const entry = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });

      const own = await graphql(url, ENTRY, { variables: { id: entry.id }, token });
      expect(own.data!.entry.entrant.email).toMatch(/@example.org$/);
      const partner = await graphql(url, ENTRY, {
        variables: { id: entry.id },
        token: tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id, sibling.id] }),
      });
      expect(partner.data!.entry.entrant).not.toBeNull();
      const siblingVenue = await graphql(url, ENTRY, {
        variables: { id: entry.id },
        token: tokenFor({ role: "VENUE", org: venue.organizationId, venues: [sibling.id] }),
      });
      expect(siblingVenue.data!.entry).toBeNull();
      expect((await graphql(url, ENTRY, { variables: { id: entry.id }, token: other.token })).data!.entry).toBeNull();
      expect((await graphql(url, ENTRY, { variables: { id: entry.id } })).data!.entry).toBeNull();

      // Once public, others see the work and the published credit, never the contact data.
      await makePublic(system.dataSources.entries, [entry.id]);
      const publicView = await graphql(url, ENTRY, { variables: { id: entry.id }, token: other.token });
      expect(publicView.data!.entry).toMatchObject({ id: entry.id, entrant: null, venue: { id: venue.id } });
      expect(publicView.data!.entry.creditName).toBe(entry.creditName);
      const anonymous = await graphql(url, ENTRY, { variables: { id: entry.id } });
      expect(anonymous.data!.entry.entrant).toBeNull();
    });

    it("hides the credit and country of a public entry without consent to publication", async () => {
      const { venue } = await venueWithToken();
      const entry = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, consentToPublication: false });
      await makePublic(system.dataSources.entries, [entry.id]);
      const anonymous = await graphql(url, ENTRY, { variables: { id: entry.id } });
      expect(anonymous.data!.entry).toMatchObject({ creditName: null, country: null, entrant: null });
    });

    it("applies the same rules to _entities sent straight to the subgraph", async () => {
      const { venue, token } = await venueWithToken();
      const other = await venueWithToken();
      const entry = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });
      const selection = `... on Entry { id entrant { email } }`;
      const representations = [{ __typename: "Entry", id: entry.id }];
      expect((await entities(url, representations, selection, other.token)).data!._entities).toEqual([null]);
      expect((await entities(url, representations, selection)).data!._entities).toEqual([null]);
      const own = await entities(url, representations, selection, token);
      expect(own.data!._entities[0].entrant.email).toMatch(/@example.org$/);
      await makePublic(system.dataSources.entries, [entry.id]);
      expect((await entities(url, representations, selection, other.token)).data!._entities).toEqual([{ id: entry.id, entrant: null }]);
      // Venue.entries through _entities: another venue's token sees only public entries of this venue.
      const draft = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, status: "DRAFT" as never });
      const venueEntries = await entities(
        url,
        [{ __typename: "Venue", id: venue.id }],
        `... on Venue { entries { totalCount edges { node { id } } } }`,
        other.token,
      );
      const ids = venueEntries.data!._entities[0].entries.edges.map((edge: any) => edge.node.id);
      expect(ids).toEqual([entry.id]);
      expect(ids).not.toContain(draft.id);
    });

    it("shows judges only the entries granted to them, blind", async () => {
      const { venue } = await venueWithToken();
      const assigned = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });
      const notAssigned = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });
      const judgeId = "6f1d1b8e-8a53-4d2e-9a65-0f6a5c1e9b11";
      // As the entries subgraph applies a judging round's entry-grants.requested event.
      const applied = await system.dataSources.entries.transaction((manager) =>
        replaceGrants(manager, `round:${randomUUID()}`, `judge:${judgeId}`, 1, [assigned.id]),
      );
      expect(applied).toBe(true);
      const judge = tokenFor({ role: "JUDGE", judge: judgeId });
      const seen = await graphql(url, ENTRY, { variables: { id: assigned.id }, token: judge });
      expect(seen.data!.entry).toEqual({ id: assigned.id, title: assigned.title, venue: null, entrant: null, creditName: null, country: null });
      expect((await graphql(url, ENTRY, { variables: { id: notAssigned.id }, token: judge })).data!.entry).toBeNull();
      const viaEntities = await entities(
        url,
        [{ __typename: "Entry", id: assigned.id }],
        `... on Entry { venue { id } entrant { name } creditName country }`,
        judge,
      );
      expect(viaEntities.data!._entities).toEqual([{ venue: null, entrant: null, creditName: null, country: null }]);
      // The judge's list holds the assignment and not the other entry; a filter by venue (hidden from judges) is refused.
      const listed = await graphql(
        url,
        `
          {
            entries(first: 100) {
              edges {
                node {
                  id
                }
              }
            }
          }
        `,
        { token: judge },
      );
      const listedIds = listed.data!.entries.edges.map((edge: any) => edge.node.id);
      expect(listedIds).toContain(assigned.id);
      expect(listedIds).not.toContain(notAssigned.id);
      const byVenue = await graphql(
        url,
        `
          query ($venueId: ID) {
            entries(first: 100, filter: { venueId: $venueId }) {
              edges {
                node {
                  id
                }
              }
            }
          }
        `,
        {
          variables: { venueId: venue.id },
          token: judge,
        },
      );
      expect(errorCodes(byVenue)).toEqual(["FORBIDDEN"]);
      // Grants change only through events from the subgraphs that own them: no API can change them.
      expect(
        errorCodes(
          await graphql(
            url,
            `
              mutation ($input: ReplaceEntryGrantsInput!) {
                replaceEntryGrants(input: $input)
              }
            `,
            {
              variables: { input: { source: "round:x", judgeId, entryIds: [notAssigned.id] } },
              token: tokenFor({ role: "ORGANIZER" }),
            },
          ),
        ),
      ).toContain("GRAPHQL_VALIDATION_FAILED");
    });
  });

  it("counts entries by group for organisers (all) and partners (their organisation), and refuses venues", async () => {
    const { venue, token } = await venueWithToken();
    await seedEntry(system.dataSources.entries, {
      venueId: venue.id,
      organizationId: venue.organizationId,
      country: "JP",
      kind: "PHOTO_SET" as never,
      photos: 3,
    });
    await seedEntry(system.dataSources.entries, {
      venueId: venue.id,
      organizationId: venue.organizationId,
      country: "JP",
      status: "DRAFT" as never,
      photos: 1,
    });
    const query = `query($groupBy: EntryStatsGroup!) { entryStats(groupBy: $groupBy) { key count submitted photos videos } }`;
    const partner = await graphql(url, query, {
      variables: { groupBy: "COUNTRY" },
      token: tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] }),
    });
    expect(partner.data!.entryStats).toEqual([{ key: "JP", count: 2, submitted: 1, photos: 4, videos: 0 }]);
    const organizer = await graphql(url, query, { variables: { groupBy: "VENUE" }, token: tokenFor({ role: "ORGANIZER" }) });
    expect(organizer.data!.entryStats.find((stat: any) => stat.key === venue.id)).toEqual({ key: venue.id, count: 2, submitted: 1, photos: 4, videos: 0 });
    expect(errorCodes(await graphql(url, query, { variables: { groupBy: "THEME" }, token }))).toEqual(["FORBIDDEN"]);
  });

  it("batches Venue.entries: the statement count does not grow with the number of venues", async () => {
    const organizer = tokenFor({ role: "ORGANIZER" });
    async function statementsFor(venueCount: number): Promise<number> {
      const venues: Awaited<ReturnType<typeof seedVenue>>[] = [];
      for (let i = 0; i < venueCount; i++) {
        const venue = await seedVenue(system.dataSources.venues);
        for (let j = 0; j < 3; j++) await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });
        venues.push(venue);
      }
      return statementsOf(async (headers) => {
        const response = await graphql(
          url,
          `
            query ($representations: [_Any!]!) {
              _entities(representations: $representations) {
                ... on Venue {
                  entries(first: 2) {
                    totalCount
                    edges {
                      node {
                        id
                        title
                        photos {
                          id
                        }
                        theme {
                          code
                        }
                      }
                    }
                  }
                }
              }
            }
          `,
          {
            variables: { representations: venues.map((venue) => ({ __typename: "Venue", id: venue.id })) },
            token: organizer,
            headers,
          },
        );
        expect(response.errors).toBeUndefined();
        expect(response.data!._entities).toHaveLength(venueCount);
        for (const venue of response.data!._entities) expect(venue.entries.edges).toHaveLength(2);
      });
    }
    const few = await statementsFor(2);
    const many = await statementsFor(12);
    expect(many).toBe(few);
  });
});
