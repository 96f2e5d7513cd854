// The benchmark's queries (npm run bench) cost a fixed number of SQL statements, whatever the number of items:
// Q2, a venue's dashboard, and Q4, a leaderboard page, through the gateway, for 10 items and for 100.
// (Q1, the public exhibition page, is asserted in exhibitions.test.ts.)
import { randomUUID } from "node:crypto";
import { ThemeCode } from "../../lib/themes";
import type { Entry } from "../../subgraphs/entries/entry/entry.entity";
import { seedExhibition } from "../kit/exhibitions-factories";
import { seedEntry, seedVenue } from "../kit/factories";
import { graphql, statementsOf, tokenFor } from "../kit/http";
import { seedJudge } from "../kit/judging-factories";
import { startSystem, TestSystem } from "../kit/system";

/** The benchmark's Q2, as a venue's own site asks it. */
const VENUE_DASHBOARD = `query Q2($id: ID!) { venue(id: $id) { entries(first: 100) { edges { node { id title status awards { tier } exhibitions { slug } } } } } }`;
/** The benchmark's Q4, as the organisers' tools ask it. */
const LEADERBOARD = `query Q4($roundId: ID!, $theme: ThemeCode) { leaderboard(roundId: $roundId, theme: $theme, first: 100) {
  totalCount edges { node { rank normalizedScore meanScore judgeCount accepted entry { id title } } } } }`;

describe("the benchmark's queries cost the same SQL statements for 10 items as for 100", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system.stop());

  /** A closed SCORE round over the given entries, three scores each, and a published award for the first: straight in judging's tables. */
  async function closedRound(entries: Entry[], venueId: string): Promise<string> {
    const judging = system.dataSources.judging;
    const judges = [await seedJudge(judging), await seedJudge(judging), await seedJudge(judging)];
    const [round] = await judging.query(
      `INSERT INTO judging.judging_round (name, kind, status, quorum, scale_min, scale_max, scale_step, criteria, closed_at)
       VALUES ($1, 'SCORE', 'CLOSED', 3, 1, 10, 0.5, '[{"code":"overall","name":"Overall","weight":1}]', now()) RETURNING id`,
      [`Final ${randomUUID().slice(0, 8)}`],
    );
    for (const [index, entry] of entries.entries()) {
      await judging.query(`INSERT INTO judging.round_entry (round_id, entry_id, theme, kind, venue_id, organization_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
        round.id,
        entry.id,
        entry.themeCode,
        entry.kind,
        entry.venueId,
        entry.organizationId,
      ]);
      for (const [k, judge] of judges.entries()) {
        const [assignment] = await judging.query(
          `INSERT INTO judging.assignment (round_id, entry_id, judge_id, status, origin) VALUES ($1, $2, $3, 'SCORED', 'AUTOMATIC') RETURNING id`,
          [round.id, entry.id, judge.id],
        );
        await judging.query(`INSERT INTO judging.score (assignment_id, round_id, judge_id, entry_id, value, criteria) VALUES ($1, $2, $3, $4, $5, '{}')`, [
          assignment.id,
          round.id,
          judge.id,
          entry.id,
          1 + ((index * 7 + k * 3) % 19) / 2,
        ]);
      }
    }
    await judging.query(`INSERT INTO judging.award (round_id, entry_id, theme, venue_id, tier, published_at) VALUES ($1, $2, $3, $4, 'GOLD', now())`, [
      round.id,
      entries[0].id,
      entries[0].themeCode,
      venueId,
    ]);
    return round.id;
  }

  /** A venue with `count` entries; a few of them shown in a published exhibition, the first awarded. */
  async function venueWithEntries(count: number) {
    const venue = await seedVenue(system.dataSources.venues, { country: "PT" });
    const entries: Entry[] = [];
    for (let index = 0; index < count; index++) {
      entries.push(await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, themeCode: ThemeCode.NATURE }));
    }
    await seedExhibition(system, { hostVenueIds: [venue.id], entryIds: entries.filter((_entry, index) => index % 4 === 0).map((entry) => entry.id) });
    const roundId = await closedRound(entries, venue.id);
    return { venue, entries, roundId };
  }

  it("Q2: a venue's dashboard", async () => {
    const small = await venueWithEntries(10);
    const large = await venueWithEntries(100);
    const statementsFor = async (venue: { id: string; organizationId: string }) => {
      let items = 0;
      const token = tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] });
      const statements = await statementsOf(async (headers) => {
        const response = await graphql(system.gatewayUrl, VENUE_DASHBOARD, { variables: { id: venue.id }, token, headers });
        expect(response.errors).toBeUndefined();
        const edges = response.data!.venue.entries.edges;
        items = edges.length;
        // The page really crosses the subgraphs: awards from judging, exhibitions from exhibitions.
        expect(edges.some((edge: any) => edge.node.awards.length === 1)).toBe(true);
        expect(edges.some((edge: any) => edge.node.exhibitions.length === 1)).toBe(true);
      });
      return { statements, items };
    };
    await statementsFor(small.venue); // warm-up: nothing one-off counts for either
    const ten = await statementsFor(small.venue);
    const hundred = await statementsFor(large.venue);
    expect([ten.items, hundred.items]).toEqual([10, 100]);
    process.stdout.write(`venue dashboard (Q2) SQL statements: 10 entries → ${ten.statements}, 100 entries → ${hundred.statements}\n`);
    expect(hundred.statements).toBe(ten.statements);
    expect(ten.statements).toBeLessThan(12);
  });

  it("Q4: a leaderboard page of one theme", async () => {
    const small = await venueWithEntries(10);
    const large = await venueWithEntries(100);
    const token = tokenFor({ role: "ORGANIZER" });
    const statementsFor = async (roundId: string) => {
      let items = 0;
      const statements = await statementsOf(async (headers) => {
        const response = await graphql(system.gatewayUrl, LEADERBOARD, { variables: { roundId, theme: "NATURE" }, token, headers });
        expect(response.errors).toBeUndefined();
        const edges = response.data!.leaderboard.edges;
        items = edges.length;
        expect(edges.every((edge: any) => typeof edge.node.entry.title === "string")).toBe(true);
        expect(edges.map((edge: any) => edge.node.rank)).toEqual(edges.map((_edge: unknown, index: number) => index + 1));
      });
      return { statements, items };
    };
    await statementsFor(small.roundId);
    await statementsFor(large.roundId);
    const ten = await statementsFor(small.roundId);
    const hundred = await statementsFor(large.roundId);
    expect([ten.items, hundred.items]).toEqual([10, 100]);
    process.stdout.write(`leaderboard (Q4) SQL statements: 10 entries → ${ten.statements}, 100 entries → ${hundred.statements}\n`);
    expect(hundred.statements).toBe(ten.statements);
    expect(ten.statements).toBeLessThan(6);
  });
});
