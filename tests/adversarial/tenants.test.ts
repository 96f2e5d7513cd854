// Tenants: for each role, reach for what belongs to another organisation, venue or judge — by id on root fields,
// through nested fields, and with _entities sent straight to each subgraph — and get FORBIDDEN, NOT_FOUND, null or
// nothing, with every table unchanged afterwards.
import type { DataSource } from "typeorm";
import { SUBGRAPH_NAMES, SubgraphName } from "../../lib/config";
import { makeJpeg } from "../../subgraphs/entries/media/fixtures";
import { ExhibitionStatus } from "../../subgraphs/exhibitions/exhibition/exhibition.entity";
import { EntryStatus } from "../../subgraphs/entries/entry/entry.entity";
import { entities, errorCodes, graphql, GraphqlResponse, tokenFor } from "../kit/http";
import { filesUnder, multipartGraphql } from "../kit/multipart";
import { seedCompetition, seedDivision, seedEntry, seedVenue, unique } from "../kit/factories";
import { seedExhibition } from "../kit/exhibitions-factories";
import { judgeToken, judgingApi, ok, seedJudge } from "../kit/judging-factories";
import { startSystem, TestSystem } from "../kit/system";

/** Every row of every table of the four schemas, hashed per table: "nothing changed" is an equal fingerprint. */
async function fingerprint(dataSources: Record<SubgraphName, DataSource>): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const name of SUBGRAPH_NAMES) {
    const tables: { table_name: string }[] = await dataSources[name].query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [name],
    );
    for (const { table_name: table } of tables) {
      // Usage counters and request logs move on every request by design; they hold no tenant's data.
      if (/usage|migrations|rate_limit/.test(table)) continue;
      const [row] = await dataSources[name].query(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM "${name}"."${table}" t`,
      );
      result[`${name}.${table}`] = `${row.rows}:${row.hash}`;
    }
  }
  return result;
}

const DENIED_CODES = new Set(["FORBIDDEN", "NOT_FOUND"]);

/** The attempt got nothing: a FORBIDDEN/NOT_FOUND (or, for the public, UNAUTHENTICATED) error, or an empty answer (null, [], a count of 0). */
function expectDenied(response: GraphqlResponse, pick: (data: any) => unknown, label: string) {
  const codes = errorCodes(response).filter((code) => !(label.startsWith("PUBLIC") && code === "UNAUTHENTICATED"));
  const value = response.data ? pick(response.data) : undefined;
  const empty = value === null || value === undefined || (Array.isArray(value) && value.length === 0) || value === 0;
  const deniedByError = codes.length > 0 && codes.every((code) => DENIED_CODES.has(code as string));
  if (!(empty && (codes.length === 0 || deniedByError))) {
    throw new Error(`${label}: not denied — codes ${JSON.stringify(codes)}, value ${JSON.stringify(value)}, errors ${JSON.stringify(response.errors)}`);
  }
}

describe("tenant isolation", () => {
  let system: TestSystem;
  /** Tokens: A is the attacker's side, B the victim's. */
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    system = await startSystem({ env: { RATE_LIMIT_PER_SECOND: "10000", RATE_LIMIT_BURST: "100000" } });
    await seedCompetition(system.dataSources.entries);
    const division = await seedDivision(system.dataSources.venues);
    const venueA = await seedVenue(system.dataSources.venues, { divisionId: division.id });
    const venueB = await seedVenue(system.dataSources.venues, { divisionId: division.id });
    const entryA = await seedEntry(system.dataSources.entries, { venueId: venueA.id, organizationId: venueA.organizationId });
    const entryB1 = await seedEntry(system.dataSources.entries, { venueId: venueB.id, organizationId: venueB.organizationId });
    const entryB2 = await seedEntry(system.dataSources.entries, { venueId: venueB.id, organizationId: venueB.organizationId });
    const draftB = await seedEntry(system.dataSources.entries, { venueId: venueB.id, organizationId: venueB.organizationId, status: EntryStatus.DRAFT });
    Object.assign(ids, {
      orgA: venueA.organizationId,
      orgB: venueB.organizationId,
      venueA: venueA.id,
      venueB: venueB.id,
      venueBCode: venueB.code,
      entryA: entryA.id,
      entryB1: entryB1.id,
      entryB2: entryB2.id,
      draftB: draftB.id,
      division: division.id,
    });

    // Two judges in an open round; the attacking judge is affiliated with organisation B, so (conflict of interest)
    // none of B's entries is assigned to them: B's entries all go to judge 2, A's entry to judge 1.
    const judge1 = await seedJudge(system.dataSources.judging, { organizationIds: [venueB.organizationId] });
    const judge2 = await seedJudge(system.dataSources.judging, { email: "judge2@example.org" });
    const api = judgingApi(system.urls.judging);
    const round = await api.createRound({ name: `Round ${unique()}`, kind: "SCORE", theme: "NATURE", divisionId: division.id, quorum: 1 });
    ok(await api.assignJudges({ roundId: round.id, judgeIds: [judge1.id, judge2.id], quorum: 1, seed: "tenants" }));
    await api.openRound(round.id);
    const assignments = await api.assignments(round.id);
    const ofJudge2 = assignments.find((item) => item.judgeId === judge2.id && item.entryId === entryB1.id)!;
    const ofJudge1 = assignments.find((item) => item.judgeId === judge1.id)!;
    expect(assignments.filter((item) => item.judgeId === judge1.id).map((item) => item.entryId)).toEqual([entryA.id]);
    ok(await api.submitScore(judge2.id, { roundId: round.id, entryId: ofJudge2.entryId, value: 4 }));
    Object.assign(ids, {
      judge1: judge1.id,
      judge2: judge2.id,
      round: round.id,
      judge2Entry: ofJudge2.entryId,
      judge2Assignment: ofJudge2.id,
      judge1Entry: ofJudge1.entryId,
    });

    const draftExhibition = await seedExhibition(system, { status: ExhibitionStatus.DRAFT, organizationId: venueB.organizationId, entryIds: [entryB1.id] });
    const ownExhibition = await seedExhibition(system, { status: ExhibitionStatus.DRAFT, organizationId: venueA.organizationId, entryIds: [] });
    Object.assign(ids, { exhibitionB: draftExhibition.exhibition.id, workB: draftExhibition.works[0].id, exhibitionA: ownExhibition.exhibition.id });

    tokens.PARTNER = tokenFor({ role: "PARTNER", org: venueA.organizationId, venues: [venueA.id] });
    tokens.VENUE = tokenFor({ role: "VENUE", org: venueA.organizationId, venues: [venueA.id] });
    tokens.JUDGE = judgeToken(judge1.id);
    tokens.PUBLIC = "";
  });
  afterAll(() => system.stop());

  const as = (role: string, query: string, variables: Record<string, unknown> = {}) =>
    graphql(system.gatewayUrl, query, { variables, token: tokens[role] || undefined });

  describe("reads through the gateway", () => {
    const reads: [string, string, (v: typeof ids) => Record<string, unknown>, (data: any) => unknown][] = [
      ["another organisation's entry by id", `query($id: ID!) { entry(id: $id) { id title entrant { email } } }`, (v) => ({ id: v.entryB1 }), (d) => d.entry],
      ["another organisation's draft by id", `query($id: ID!) { entry(id: $id) { id } }`, (v) => ({ id: v.draftB }), (d) => d.entry],
      [
        "another venue's entries by filter",
        `query($v: ID!) { entries(filter: { venueId: $v }) { totalCount edges { node { id } } } }`,
        (v) => ({ v: v.venueB }),
        (d) => d.entries.totalCount,
      ],
      [
        "another venue's entries, nested",
        `query($v: ID!) { venue(id: $v) { entries(first: 10) { totalCount edges { node { id title } } } } }`,
        (v) => ({ v: v.venueB }),
        (d) => d.venue?.entries.totalCount,
      ],
      [
        "another organisation's draft exhibition",
        `query($id: ID!) { exhibition(id: $id) { id title works(first: 5) { totalCount } } }`,
        (v) => ({ id: v.exhibitionB }),
        (d) => d.exhibition,
      ],
      [
        "a work in another organisation's draft exhibition",
        `query($id: ID!) { exhibitedWork(id: $id) { id entry { title } } }`,
        (v) => ({ id: v.workB }),
        (d) => d.exhibitedWork,
      ],
      [
        "another judge's scores on an entry",
        `query($e: ID!, $r: ID!) { scoreHistory(entryId: $e, roundId: $r) { __typename } }`,
        (v) => ({ e: v.judge2Entry, r: v.round }),
        (d) => d.scoreHistory,
      ],
      [
        "another judge's scores, nested in the entry",
        `query($e: ID!) { entry(id: $e) { scores { value } } }`,
        (v) => ({ e: v.judge2Entry }),
        (d) => d.entry?.scores,
      ],
      ["another judge's contact data", `query($id: ID!) { judge(id: $id) { email } }`, (v) => ({ id: v.judge2 }), (d) => d.judge?.email],
      [
        "the round's assignments",
        `query($r: ID!) { roundAssignments(roundId: $r) { totalCount } }`,
        (v) => ({ r: v.round }),
        (d) => d.roundAssignments?.totalCount,
      ],
      [
        "entry statistics across organisations",
        `{ entryStats(groupBy: VENUE) { key count } }`,
        () => ({}),
        (d) => (d.entryStats as { key: string }[] | undefined)?.filter((s) => s.key !== ids.venueA),
      ],
      ["API clients", `{ apiClients { id } }`, () => ({}), (d) => d.apiClients],
    ];
    for (const role of ["PARTNER", "VENUE", "JUDGE", "PUBLIC"]) {
      it.each(reads)(`${role}: %s`, async (label, query, variables, pick) => {
        expectDenied(await as(role, query, variables(ids)), pick, `${role} ${label}`);
      });
    }

    it("a judge sees an assigned entry without the entrant, and only their own assignments", async () => {
      const response = await as(
        "JUDGE",
        `query($id: ID!) { entry(id: $id) { id entrant { email name } creditName } myAssignments { edges { node { judge { id } } } } }`,
        {
          id: ids.judge1Entry,
        },
      );
      expect(response.data?.entry?.id).toBe(ids.judge1Entry);
      expect(response.data?.entry?.entrant ?? null).toBeNull();
      expect(response.data?.entry?.creditName ?? null).toBeNull();
      for (const edge of response.data!.myAssignments.edges) expect(edge.node.judge.id).toBe(ids.judge1);
    });
  });

  describe("writes through the gateway leave every table as it was", () => {
    let before: Record<string, string>;
    beforeAll(async () => {
      before = await fingerprint(system.dataSources);
    });
    afterAll(async () => {
      expect(await fingerprint(system.dataSources)).toEqual(before);
    });

    const entrant = { name: "Mallory", email: "mallory@example.org", country: "PT" };
    const writes: [string, string, (v: typeof ids) => Record<string, unknown>, (data: any) => unknown][] = [
      [
        "create an entry at another venue",
        `mutation($input: CreateEntryInput!) { createEntry(input: $input) { id } }`,
        (v) => ({
          input: {
            venueId: v.venueB,
            theme: "NATURE",
            kind: "SINGLE_PHOTO",
            title: "Planted",
            entrant,
            consentToRules: true,
            consentToPublication: true,
            declaresNoGenerativeAi: true,
          },
        }),
        (d) => d.createEntry,
      ],
      ["submit another venue's draft", `mutation($id: ID!) { submitEntry(id: $id) { id } }`, (v) => ({ id: v.draftB }), (d) => d.submitEntry],
      ["withdraw another venue's entry", `mutation($id: ID!) { withdrawEntry(id: $id) { id } }`, (v) => ({ id: v.entryB1 }), (d) => d.withdrawEntry],
      ["disqualify an entry", `mutation($id: ID!) { disqualifyEntry(id: $id, reason: "spite") { id } }`, (v) => ({ id: v.entryB2 }), (d) => d.disqualifyEntry],
      [
        "create an exhibition for another organisation",
        `mutation($input: CreateExhibitionInput!) { createExhibition(input: $input) { id } }`,
        (v) => ({
          input: {
            slug: `x-${unique().toLowerCase()}`,
            kind: "ONLINE",
            defaultLocale: "en",
            title: [{ locale: "en", text: "Mine now" }],
            organizationId: v.orgB,
          },
        }),
        (d) => d.createExhibition,
      ],
      [
        "add works to another organisation's exhibition",
        `mutation($input: AddExhibitedWorksInput!) { addExhibitedWorks(input: $input) { id } }`,
        (v) => ({ input: { exhibitionId: v.exhibitionB, works: [{ entryId: v.entryA }] } }),
        (d) => d.addExhibitedWorks,
      ],
      [
        "publish another organisation's exhibition",
        `mutation($id: ID!) { publishExhibition(id: $id) { id } }`,
        (v) => ({ id: v.exhibitionB }),
        (d) => d.publishExhibition,
      ],
      [
        "remove a work from another organisation's exhibition",
        `mutation($id: ID!) { removeExhibitedWork(id: $id) { id } }`,
        (v) => ({ id: v.workB }),
        (d) => d.removeExhibitedWork,
      ],
      [
        "score an entry assigned to another judge",
        `mutation($input: SubmitScoreInput!) { submitScore(input: $input) { id } }`,
        (v) => ({ input: { roundId: v.round, entryId: v.judge2Entry, value: 1 } }),
        (d) => d.submitScore,
      ],
      [
        "recuse another judge",
        `mutation($id: ID!) { recuse(assignmentId: $id, reason: "not mine") { __typename } }`,
        (v) => ({ id: v.judge2Assignment }),
        (d) => d.recuse,
      ],
      [
        "reassign another judge's assignment",
        `mutation($id: ID!, $j: ID!) { reassignAssignment(id: $id, judgeId: $j) { id } }`,
        (v) => ({ id: v.judge2Assignment, j: v.judge1 }),
        (d) => d.reassignAssignment,
      ],
      [
        "move another organisation's venue",
        `mutation($input: UpdateVenueInput!) { updateVenue(input: $input) { id } }`,
        (v) => ({ input: { id: v.venueB, organizationId: v.orgA } }),
        (d) => d.updateVenue,
      ],
      [
        "create an API client",
        `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { clientSecret } }`,
        () => ({ input: { name: "backdoor", role: "ORGANIZER" } }),
        (d) => d.createApiClient,
      ],
      ["publish awards", `mutation { publishAwards(theme: NATURE) { id } }`, () => ({}), (d) => d.publishAwards],
    ];
    for (const role of ["PARTNER", "VENUE", "JUDGE", "PUBLIC"]) {
      it.each(writes)(`${role}: %s`, async (label, query, variables, pick) => {
        const response = await as(role, query, variables(ids));
        const codes = errorCodes(response);
        // The public is refused as such; everyone else is refused or finds nothing.
        if (role === "PUBLIC" && codes.includes("UNAUTHENTICATED")) return;
        expectDenied(response, pick, `${role} ${label}`);
      });
    }

    it("VENUE and PARTNER: upload photos to another venue's entry — refused, no file stored", async () => {
      const files = () => filesUnder(system.mediaRoot);
      const stored = files();
      const photo = await makeJpeg({ width: 1600, height: 1200, hue: 200 });
      for (const role of ["VENUE", "PARTNER", "JUDGE"]) {
        const response = await multipartGraphql(
          system.gatewayUrl,
          `mutation($e: ID!, $f: [Upload!]!) { uploadPhotos(entryId: $e, files: $f) { id } }`,
          { e: ids.draftB, f: [null] },
          {
            "variables.f.0": { path: photo },
          },
          { token: tokens[role] },
        );
        expectDenied(response, (d) => d.uploadPhotos, `${role} upload`);
      }
      expect(files()).toEqual(stored);
    });
  });

  describe("_entities straight to each subgraph (with the subgraph secret, as a compromised neighbour would)", () => {
    const probes: [string, SubgraphName, (v: typeof ids) => Record<string, unknown>[], string][] = [
      [
        "entries: another organisation's entry",
        "entries",
        (v) => [
          { __typename: "Entry", id: v.entryB1 },
          { __typename: "Entry", id: v.draftB },
        ],
        "... on Entry { id title entrant { email } }",
      ],
      [
        "entries: another venue's entries",
        "entries",
        (v) => [{ __typename: "Venue", id: v.venueB }],
        "... on Venue { entries(first: 10) { totalCount edges { node { id } } } }",
      ],
      ["judging: another judge's scores", "judging", (v) => [{ __typename: "Entry", id: v.judge2Entry }], "... on Entry { scores { value } }"],
      ["judging: another judge", "judging", (v) => [{ __typename: "Judge", id: v.judge2 }], "... on Judge { email }"],
      [
        "exhibitions: another organisation's draft exhibition",
        "exhibitions",
        (v) => [
          { __typename: "Entry", id: v.entryB1 },
          { __typename: "Venue", id: v.venueB },
        ],
        "... on Entry { exhibitions { id } } ... on Venue { exhibitions { id } }",
      ],
      [
        "exhibitions: works of a draft exhibition",
        "exhibitions",
        (v) => [{ __typename: "Exhibition", id: v.exhibitionB }],
        "... on Exhibition { works(first: 5) { totalCount edges { node { id entry { id } } } } }",
      ],
    ];

    // The control: an organiser sends the same probe and reads data. A probe whose field or type no longer exists
    // fails here (and below) instead of passing as "denied".
    it.each(probes)("ORGANIZER control: %s reaches data", async (label, subgraph, representations, selection) => {
      const response = await entities(system.urls[subgraph], representations(ids), selection, tokenFor({ role: "ORGANIZER" }));
      expect(errorCodes(response)).toEqual([]);
      const values = (response.data!._entities as any[])
        .filter(Boolean)
        .flatMap((entity) => Object.entries(entity).filter(([key]) => key !== "__typename" && key !== "id"));
      const reached = values.some(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0) && (value as any)?.totalCount !== 0);
      if (!reached) throw new Error(`${label}: the organiser control read nothing: ${JSON.stringify(response.data)}`);
    });
    for (const role of ["PARTNER", "VENUE", "JUDGE", "PUBLIC"]) {
      it.each(probes)(`${role}: %s`, async (label, subgraph, representations, selection) => {
        const response = await entities(system.urls[subgraph], representations(ids), selection, tokens[role] || undefined);
        const codes = errorCodes(response);
        // A validation failure means the probe asked for something that does not exist: that proves nothing.
        expect(codes).not.toContain("GRAPHQL_VALIDATION_FAILED");
        if (codes.length && codes.every((code) => DENIED_CODES.has(code as string))) return;
        expect(codes).toEqual([]);
        for (const entity of response.data!._entities as any[]) {
          if (entity === null) continue;
          const values = Object.entries(entity).filter(([key]) => key !== "__typename" && key !== "id");
          for (const [key, value] of values) {
            const empty = value === null || (Array.isArray(value) && value.length === 0) || (value as any)?.totalCount === 0;
            if (!empty) throw new Error(`${role} ${label}: ${key} = ${JSON.stringify(value)}`);
          }
        }
      });
    }
  });
});
