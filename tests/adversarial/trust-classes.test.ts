// Classes 1, 3 and 5 of the trust issue, tried through the gateway as a hostile judge, tenant and visitor would:
// 1. a judge cannot partition the entries they see by an attribute hidden from them (venue, organisation, division,
//    country) — every such filter or list is FORBIDDEN, on root fields, nested lists and _entities alike;
// 3. an entrant's personal data belongs to the organisation that entered it; the per-theme cap still counts the
//    e-mail competition-wide, a refusal names nothing of the other tenant, organisers see and resolve collisions;
// 5. filters agree with fields: the public (and other tenants) cannot find a non-consenting entrant's country by
//    filtering; the venue of a public entry is public whatever the consent (the documented decision).
import { entities, errorCodes, graphql, tokenFor } from "../kit/http";
import { makePublic, seedCompetition, seedDivision, seedEntry, seedVenue, unique } from "../kit/factories";
import { judgeToken, judgingApi, ok, organizerToken, seedJudge } from "../kit/judging-factories";
import { startSystem, TestSystem } from "../kit/system";
import type { Venue } from "../../subgraphs/venues/venue/venue.entity";

const CREATE = `mutation($input: CreateEntryInput!) { createEntry(input: $input) { id entrant { id name email country phone } } }`;

describe("trust classes 1, 3 and 5", () => {
  let system: TestSystem;
  let venueA: Venue;
  let venueB: Venue;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const as = (token: string | undefined, query: string, variables: Record<string, unknown> = {}) => graphql(system.gatewayUrl, query, { variables, token });

  beforeAll(async () => {
    // Nested lists of every division's venues cost more than a judge's default budget; the limit is not what is tested here.
    system = await startSystem({ env: { OPERATION_LIMITS: "cost=100000" } });
    await seedCompetition(system.dataSources.entries, { maxEntriesPerEntrantPerTheme: 2 });
    const division = await seedDivision(system.dataSources.venues);
    venueA = await seedVenue(system.dataSources.venues, { divisionId: division.id, country: "PT" });
    venueB = await seedVenue(system.dataSources.venues, { country: "CN" });
    tokens.venueA = tokenFor({ role: "VENUE", org: venueA.organizationId, venues: [venueA.id] });
    tokens.venueB = tokenFor({ role: "VENUE", org: venueB.organizationId, venues: [venueB.id] });
    tokens.partnerA = tokenFor({ role: "PARTNER", org: venueA.organizationId, venues: [venueA.id] });
    tokens.partnerB = tokenFor({ role: "PARTNER", org: venueB.organizationId, venues: [venueB.id] });
    tokens.organizer = organizerToken();
    Object.assign(ids, { division: division.id, orgA: venueA.organizationId, venueA: venueA.id, venueB: venueB.id });

    // A judge assigned entries from both venues (countries PT and CN), in an open round.
    const fromA = await seedEntry(system.dataSources.entries, { venueId: venueA.id, organizationId: venueA.organizationId, country: "PT" });
    const fromB = await seedEntry(system.dataSources.entries, { venueId: venueB.id, organizationId: venueB.organizationId, country: "CN" });
    const judge = await seedJudge(system.dataSources.judging);
    const api = judgingApi(system.urls.judging);
    const round = await api.createRound({ name: `Round ${unique()}`, kind: "SCORE", theme: "NATURE", quorum: 1 });
    ok(await api.assignJudges({ roundId: round.id, judgeIds: [judge.id], quorum: 1, seed: "classes" }));
    await api.openRound(round.id);
    await system.settleEvents();
    tokens.judge = judgeToken(judge.id);
    Object.assign(ids, { fromA: fromA.id, fromB: fromB.id });
  });
  afterAll(() => system.stop());

  describe("class 1: a judge cannot sort their entries by what is hidden from them", () => {
    it("sees both assigned entries without a filter, and may filter by what they can read (theme, kind, status)", async () => {
      const all = ok(await as(tokens.judge, `{ entries(first: 50) { totalCount edges { node { id venue { id } country } } } }`));
      expect(all.entries.edges.map((edge: any) => edge.node.id).sort()).toEqual([ids.fromA, ids.fromB].sort());
      for (const edge of all.entries.edges) expect([edge.node.venue, edge.node.country]).toEqual([null, null]);
      const byTheme = ok(await as(tokens.judge, `{ entries(filter: { theme: NATURE, kind: SINGLE_PHOTO, status: SUBMITTED }) { totalCount } }`));
      expect(byTheme.entries.totalCount).toBe(2);
    });

    const hidden: [string, string, (v: Record<string, string>) => Record<string, unknown>][] = [
      ["entries(filter: venueId)", `query($v: ID!) { entries(filter: { venueId: $v }) { totalCount edges { node { id } } } }`, (v) => ({ v: v.venueA })],
      ["entries(filter: country)", `{ entries(filter: { country: "PT" }) { totalCount edges { node { id } } } }`, () => ({})],
      ["venue(id).entries", `query($v: ID!) { venue(id: $v) { entries(first: 5) { totalCount edges { node { id } } } } }`, (v) => ({ v: v.venueA })],
      ["venue.entries(status)", `query($v: ID!) { venue(id: $v) { entries(status: SUBMITTED) { totalCount } } }`, (v) => ({ v: v.venueA })],
      ["organization.venues.entries", `query($o: ID!) { organization(id: $o) { venues { entries { totalCount } } } }`, (v) => ({ o: v.orgA })],
      ["divisions.venues.entries", `{ divisions { venues { entries { totalCount } } } }`, () => ({})],
      ["venues(filter: country).entries", `{ venues(filter: { country: "PT" }) { edges { node { entries { totalCount } } } } }`, () => ({})],
      ["entryStats(groupBy: COUNTRY)", `{ entryStats(groupBy: COUNTRY) { key count } }`, () => ({})],
    ];
    it.each(hidden)("%s is FORBIDDEN and carries no count or id", async (_label, query, variables) => {
      const response = await as(tokens.judge, query, variables(ids));
      expect(errorCodes(response).length).toBeGreaterThan(0);
      expect(new Set(errorCodes(response))).toEqual(new Set(["FORBIDDEN"]));
      const text = JSON.stringify(response.data ?? null);
      expect(text).not.toMatch(/totalCount":\s*[1-9]/);
      expect(text).not.toContain(ids.fromA);
      expect(text).not.toContain(ids.fromB);
    });

    it("the same through _entities straight to the entries subgraph", async () => {
      const response = await entities(
        system.urls.entries,
        [{ __typename: "Venue", id: ids.venueA }],
        "... on Venue { entries { totalCount edges { node { id } } } }",
        tokens.judge,
      );
      expect(errorCodes(response)).toEqual(["FORBIDDEN"]);
      expect(JSON.stringify(response.data ?? null)).not.toContain(ids.fromA);
    });

    it("other roles keep their filters (a venue filters its own entries by venue and country)", async () => {
      const own = ok(await as(tokens.venueA, `query($v: ID!) { entries(filter: { venueId: $v, country: "PT" }) { totalCount } }`, { v: ids.venueA }));
      expect(own.entries.totalCount).toBe(1);
    });
  });

  describe("class 3: personal data belongs to the tenant that entered it", () => {
    const email = `shared-${unique().toLowerCase()}@example.org`;
    const input = (venueId: string, entrant: Record<string, unknown>, title: string, theme = "NATURE") => ({
      venueId,
      theme,
      kind: "SINGLE_PHOTO",
      title,
      entrant,
      consentToRules: true,
      consentToPublication: true,
      declaresNoGenerativeAi: true,
    });

    it("another organisation entering the same e-mail neither reads nor changes the first one's record", async () => {
      const first = ok(
        await as(tokens.venueA, CREATE, { input: input(ids.venueA, { name: "Ana Sousa", email, country: "PT", phone: "+351 912 345 678" }, "Tagus at dawn") }),
      );
      const second = ok(await as(tokens.venueB, CREATE, { input: input(ids.venueB, { name: "A. S.", email, country: "CN" }, "Shanghai rain") }));
      expect(second.createEntry.entrant).toMatchObject({ name: "A. S.", email, country: "CN", phone: null });
      expect(second.createEntry.entrant.id).not.toBe(first.createEntry.entrant.id);
      const readAgain = ok(await as(tokens.partnerA, `query($id: ID!) { entry(id: $id) { entrant { name country phone } } }`, { id: first.createEntry.id }));
      expect(readAgain.entry.entrant).toEqual({ name: "Ana Sousa", country: "PT", phone: "+351 912 345 678" });
      ids.sharedA = first.createEntry.id;
    });

    it("the cap still counts the e-mail competition-wide, and the refusal names nothing the other tenant entered", async () => {
      const refused = await as(tokens.venueB, CREATE, { input: input(ids.venueB, { name: "A. S.", email, country: "CN" }, "Third") });
      expect(errorCodes(refused)).toEqual(["BAD_USER_INPUT"]);
      const text = JSON.stringify(refused.errors);
      for (const secret of ["Ana Sousa", "912", "PT", "Tagus", ids.venueA, ids.orgA]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/already has \d/);
    });

    it("organisers see the collision, each tenant's own record, and may resolve it; nobody else may", async () => {
      const query = `{ entrantCollisions(first: 10) { totalCount edges { node { email resolution entrants { organization { id } entrant { name phone } entries } } } } }`;
      for (const token of [tokens.venueA, tokens.partnerB, tokens.judge, undefined]) {
        const denied = await as(token, query);
        expect(errorCodes(denied)[0]).toBe(token ? "FORBIDDEN" : "UNAUTHENTICATED");
      }
      const listed = ok(await as(tokens.organizer, query));
      const collision = listed.entrantCollisions.edges.map((edge: any) => edge.node).find((node: any) => node.email === email);
      expect(collision.resolution).toBeNull();
      expect(collision.entrants.map((row: any) => row.organization.id).sort()).toEqual([ids.orgA, venueB.organizationId].sort());
      expect(collision.entrants.map((row: any) => row.entrant.name).sort()).toEqual(["A. S.", "Ana Sousa"]);

      const resolve = `mutation($email: String!) { resolveEntrantCollision(email: $email, resolution: DIFFERENT_PEOPLE, note: "school address") { email resolution note resolvedAt } }`;
      expect(errorCodes(await as(tokens.partnerA, resolve, { email }))).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await as(tokens.organizer, resolve, { email: `nobody-${unique().toLowerCase()}@example.org` }))).toEqual(["NOT_FOUND"]);
      const resolved = ok(await as(tokens.organizer, resolve, { email }));
      expect(resolved.resolveEntrantCollision).toMatchObject({ email, resolution: "DIFFERENT_PEOPLE", note: "school address" });
      // Different people: each organisation's entrant has the cap on its own, so B may enter a second work.
      ok(await as(tokens.venueB, CREATE, { input: input(ids.venueB, { name: "A. S.", email, country: "CN" }, "Second of B") }));
      const unresolved = `{ entrantCollisions(unresolvedOnly: true) { edges { node { email resolution } } } }`;
      const unresolvedEmails = async () => ok(await as(tokens.organizer, unresolved)).entrantCollisions.edges.map((edge: any) => edge.node.email);
      expect(await unresolvedEmails()).not.toContain(email);

      // A third organisation is not covered by that resolution: the cap counts the address competition-wide for it,
      // and once it has entered the address the collision is open again.
      const venueC = await seedVenue(system.dataSources.venues);
      const tokenC = tokenFor({ role: "VENUE", org: venueC.organizationId, venues: [venueC.id] });
      expect(errorCodes(await as(tokenC, CREATE, { input: input(venueC.id, { name: "Ana S.", email, country: "PT" }, "Third organisation") }))).toEqual([
        "BAD_USER_INPUT",
      ]);
      ok(await as(tokenC, CREATE, { input: input(venueC.id, { name: "Ana S.", email, country: "PT" }, "Other theme", "TECHNOLOGY") }));
      expect(await unresolvedEmails()).toContain(email);
    });
  });

  describe("class 5: filters agree with fields for a non-consenting entrant", () => {
    beforeAll(async () => {
      const consenting = await seedEntry(system.dataSources.entries, {
        venueId: venueA.id,
        organizationId: venueA.organizationId,
        country: "ES",
        consentToPublication: true,
      });
      const refusing = await seedEntry(system.dataSources.entries, {
        venueId: venueA.id,
        organizationId: venueA.organizationId,
        country: "ES",
        consentToPublication: false,
      });
      await makePublic(system.dataSources.entries, [consenting.id, refusing.id]);
      Object.assign(ids, { consenting: consenting.id, refusing: refusing.id });
    });

    const byCountry = `{ entries(filter: { country: "ES" }, first: 50) { totalCount edges { node { id country creditName } } } }`;
    it.each([
      ["the public", undefined],
      ["another organisation's partner", "partnerB"],
      ["another organisation's venue", "venueB"],
    ])("%s: a country filter matches only entries whose country it can read", async (_label, role) => {
      const data = ok(await as(role ? tokens[role] : undefined, byCountry));
      expect(data.entries.edges.map((edge: any) => edge.node.id)).toEqual([ids.consenting]);
      expect(data.entries.totalCount).toBe(1);
    });

    it("the owner and organisers still find both", async () => {
      for (const token of [tokens.partnerA, tokens.organizer]) {
        expect(ok(await as(token, byCountry)).entries.totalCount).toBe(2);
      }
    });

    it("the public reads no country or credit name of the refusing entrant, but the venue (documented decision: awards name venues)", async () => {
      const data = ok(await as(undefined, `query($id: ID!) { entry(id: $id) { country creditName venue { id } entrant { name } } }`, { id: ids.refusing }));
      expect(data.entry).toEqual({ country: null, creditName: null, venue: { id: ids.venueA }, entrant: null });
    });
  });
});
