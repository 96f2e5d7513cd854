// Open rounds' leaderboards from what triggers on judging.score keep (each judge's tally in
// judging.judge_statistics, each round entry's current scores in round_entry.scores and, in the ranking's own shape,
// round_entry.ranking_input): on a random round scored through the API by judges of different severities, with
// corrections and recusals, every view of the leaderboard equals the full recomputation (rankRound over every
// score, read here straight from the table), and the kept statistics and entry scores equal the scores' own. Statements that
// change many scores at once keep them too, and the migrations backfill them. A SHORTLIST round's votes are kept alike.
import type { DataSource } from "typeorm";
import { startSystem, TestSystem } from "../kit/system";
import { graphql } from "../kit/http";
import { seedDivision, seedEntry, seedVenue, unique } from "../kit/factories";
import { judgingApi, ok, organizerToken, seedJudge } from "../kit/judging-factories";
import { ThemeCode } from "../../lib/themes";
import type { Entry } from "../../subgraphs/entries/entry/entry.entity";
import type { Judge } from "../../subgraphs/judging/judge/judge.entity";
import { seededRandom } from "../../scripts/demo-data/random";
import { RankingEntry, RankingScore, RankingSettings, rankRound, statisticsOfScores } from "../../subgraphs/judging/leaderboard/leaderboard.ranking";
import { JudgingJudgeStatistics1764950000000 } from "../../migrations/judging/1764950000000-judging-judge-statistics";
import { JudgingRankingInput1765300000000 } from "../../migrations/judging/1765300000000-judging-ranking-input";

const SETTINGS = { kind: "SCORE", scaleMin: 1, scaleMax: 10, acceptanceCapPercent: 40, passVotes: null };

describe("judging: open-round leaderboards from kept statistics", () => {
  let system: TestSystem;
  let api: ReturnType<typeof judgingApi>;
  let url: string;
  let judging: DataSource;
  let roundId: string;
  let divisionId: string;
  const random = seededRandom(14_014);

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries", "judging"], gateway: false });
    url = system.urls.judging;
    judging = system.dataSources.judging;
    api = judgingApi(url);
  });
  afterAll(() => system.stop());

  /** The kept statistics of the round, as the table holds them (judges with no score left included). */
  const keptStatistics = async () =>
    Object.fromEntries(
      (
        await judging.query(
          `SELECT judge_id, score_count, value_sum::text, value_sum_of_squares::text FROM judging.judge_statistics WHERE round_id = $1 AND score_count > 0`,
          [roundId],
        )
      ).map((row: any) => [row.judge_id, { count: row.score_count, sum: BigInt(row.value_sum), sumOfSquares: BigInt(row.value_sum_of_squares) }]),
    );

  /** The same, recomputed from every current score of the round. */
  async function recomputedStatistics() {
    const scores: RankingScore[] = await judging.query(
      `SELECT judge_id AS "judgeId", entry_id AS "entryId", (value * 1000)::int AS value, pass FROM judging.score WHERE round_id = $1`,
      [roundId],
    );
    return Object.fromEntries(statisticsOfScores(scores).judges);
  }

  /** Each round entry's kept scores, and the same recomputed from judging.score. */
  const keptEntryScores = async () =>
    Object.fromEntries(
      (await judging.query(`SELECT entry_id, scores FROM judging.round_entry WHERE round_id = $1 AND scores <> '{}'`, [roundId])).map((row: any) => [
        row.entry_id,
        row.scores,
      ]),
    );
  async function recomputedEntryScores() {
    const rows: { entry_id: string; judge_id: string; value: number | null; pass: boolean | null }[] = await judging.query(
      `SELECT entry_id, judge_id, (value * 1000)::int AS value, pass FROM judging.score WHERE round_id = $1`,
      [roundId],
    );
    const byEntry: Record<string, Record<string, number | boolean>> = {};
    for (const row of rows) (byEntry[row.entry_id] ??= {})[row.judge_id] = row.value ?? row.pass!;
    return byEntry;
  }

  /** Each round entry's ranking_input, as the table holds it, and the same built here from the entry and judging.score. */
  const keptRankingInputs = async (ofRound = roundId) =>
    Object.fromEntries(
      (await judging.query(`SELECT entry_id, ranking_input FROM judging.round_entry WHERE round_id = $1`, [ofRound])).map((row: any) => [
        row.entry_id,
        row.ranking_input,
      ]),
    );
  async function recomputedRankingInputs(ofRound = roundId) {
    const entries: { entry_id: string; theme: string; division_id: string | null; venue_id: string }[] = await judging.query(
      `SELECT entry_id, theme, division_id, venue_id FROM judging.round_entry WHERE round_id = $1`,
      [ofRound],
    );
    const scores: { entry_id: string; number: number; value: number | null; pass: boolean | null }[] = await judging.query(
      `SELECT score.entry_id, judge.number, (score.value * 1000)::int AS value, score.pass
         FROM judging.score score JOIN judging.judge judge ON judge.id = score.judge_id WHERE score.round_id = $1 ORDER BY judge.number`,
      [ofRound],
    );
    return Object.fromEntries(
      entries.map((entry) => [
        entry.entry_id,
        [
          entry.entry_id,
          entry.theme,
          entry.division_id,
          entry.venue_id,
          scores.filter((score) => score.entry_id === entry.entry_id).flatMap((score) => [score.number, score.value ?? score.pass!]),
        ],
      ]),
    );
  }

  /**
   * The full recomputation: rankRound over every entry and score of the round, read here without the store (and
   * without the kept columns), with each entry's assigned judges.
   */
  async function recomputedRanking(ofRound = roundId, settings: RankingSettings = SETTINGS) {
    const entries: (RankingEntry & { assignedJudgeCount: number })[] = await judging.query(
      `SELECT round_entry.entry_id AS "entryId", round_entry.theme, round_entry.division_id AS "divisionId", round_entry.venue_id AS "venueId",
              (SELECT count(*) FROM judging.assignment WHERE round_id = round_entry.round_id AND entry_id = round_entry.entry_id AND status <> 'RECUSED')::int AS "assignedJudgeCount"
         FROM judging.round_entry round_entry WHERE round_entry.round_id = $1`,
      [ofRound],
    );
    const scores: RankingScore[] = await judging.query(
      `SELECT judge_id AS "judgeId", entry_id AS "entryId", (value * 1000)::int AS value, pass FROM judging.score WHERE round_id = $1`,
      [ofRound],
    );
    const assigned = new Map(entries.map((entry) => [entry.entryId, entry.assignedJudgeCount]));
    return rankRound(settings, entries, scores).map((row) => ({ ...row, assignedJudgeCount: assigned.get(row.entryId) }));
  }

  const leaderboardQuery = `query($r: ID!, $theme: ThemeCode, $d: ID) {
    leaderboard(roundId: $r, theme: $theme, divisionId: $d, first: 100) {
      totalCount edges { node { rank themeRank entry { id } meanScore normalizedScore judgeCount assignedJudgeCount accepted theme } } } }`;

  /** Every view (whole round, each theme, the division) served by the API equals the recomputation's rows of that view. */
  async function expectLeaderboardsEqualRecomputation() {
    const expected = await recomputedRanking();
    expect(expected.some((row) => row.normalizedScore !== null)).toBe(true);
    const views: { theme?: ThemeCode; d?: string }[] = [
      {},
      { d: divisionId },
      ...[ThemeCode.NATURE, ThemeCode.TECHNOLOGY, ThemeCode.EXCHANGES].map((theme) => ({ theme })),
      { theme: ThemeCode.NATURE, d: divisionId },
    ];
    for (const view of views) {
      const served = ok(await graphql(url, leaderboardQuery, { variables: { r: roundId, ...view }, token: organizerToken() })).leaderboard;
      const rows = expected.filter((row) => !view.theme || row.theme === view.theme);
      expect(served.totalCount).toBe(rows.length);
      expect(served.edges.map((edge: any) => edge.node)).toEqual(
        rows.map((row, index) => ({
          rank: index + 1,
          themeRank: row.themeRank,
          entry: { id: row.entryId },
          meanScore: row.meanScore,
          normalizedScore: row.normalizedScore,
          judgeCount: row.judgeCount,
          assignedJudgeCount: row.assignedJudgeCount,
          accepted: row.accepted,
          theme: row.theme,
        })),
      );
    }
  }

  it("serves every view of an open round's leaderboard exactly as the full recomputation, through scores, corrections and recusals", async () => {
    const division = await seedDivision(system.dataSources.venues, { code: unique("D") });
    divisionId = division.id;
    const venue = await seedVenue(system.dataSources.venues, { divisionId, country: "PT" });
    const themes = [...Array(7).fill(ThemeCode.NATURE), ...Array(5).fill(ThemeCode.TECHNOLOGY), ...Array(4).fill(ThemeCode.EXCHANGES)];
    const entries: Entry[] = [];
    for (const themeCode of themes)
      entries.push(await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, themeCode }));
    // Judges of different severities and spreads; two score only a few entries (the few-score rule applies to them).
    const judges: { judge: Judge; bias: number; spread: number; share: number }[] = [];
    for (let index = 0; index < 8; index++) {
      judges.push({ judge: await seedJudge(judging), bias: (random() - 0.5) * 4, spread: 0.5 + random(), share: index < 2 ? 0.2 : 0.8 });
    }
    const round = await api.createRound({
      name: "Open",
      kind: "SCORE",
      divisionId,
      quorum: judges.length,
      scale: { min: 1, max: 10, step: 0.5 },
      acceptanceCapPercent: SETTINGS.acceptanceCapPercent,
    });
    roundId = round.id;
    ok(await api.assignJudges({ roundId, judgeIds: judges.map(({ judge }) => judge.id) }));
    await api.openRound(roundId);

    const scoreOf = (judge: (typeof judges)[number]) => Math.min(10, Math.max(1, Math.round((5.5 + (random() - 0.5) * 6 * judge.spread + judge.bias) * 2) / 2));
    const given: { judge: (typeof judges)[number]; entryId: string }[] = [];
    for (const entry of entries) {
      for (const judge of judges) {
        if (random() >= judge.share) continue;
        ok(await api.submitScore(judge.judge.id, { roundId, entryId: entry.id, value: scoreOf(judge) }));
        given.push({ judge, entryId: entry.id });
      }
    }
    await expectLeaderboardsEqualRecomputation();

    // Corrections: a judge changes some of their scores (the kept statistics take the old value away).
    for (let index = 0; index < 15; index++) {
      const { judge, entryId } = given[Math.floor(random() * given.length)];
      ok(await api.submitScore(judge.judge.id, { roundId, entryId, value: scoreOf(judge) }));
    }
    // Recusals: a score already given is withdrawn.
    const assignments = await api.assignments(roundId);
    const scored = assignments.filter((assignment) => assignment.status === "SCORED");
    for (const assignment of [scored[3], scored[11], scored[20]]) {
      const recusal = await api.recuse(assignment.judgeId, assignment.id);
      expect(ok(recusal).recuse.assignment.status).toBe("RECUSED");
    }
    expect(await keptStatistics()).toEqual(await recomputedStatistics());
    expect(await keptEntryScores()).toEqual(await recomputedEntryScores());
    expect(await keptRankingInputs()).toEqual(await recomputedRankingInputs());
    await expectLeaderboardsEqualRecomputation();
  });

  it("keeps the statistics through statements that change many scores at once, and the migration backfills them", async () => {
    // One UPDATE changes scores of several judges; one DELETE removes several.
    await judging.query(`UPDATE judging.score SET value = LEAST(10, value + 0.5) WHERE round_id = $1 AND value < 6`, [roundId]);
    await judging.query(`DELETE FROM judging.score WHERE id IN (SELECT id FROM judging.score WHERE round_id = $1 ORDER BY id LIMIT 4)`, [roundId]);
    expect(await keptStatistics()).toEqual(await recomputedStatistics());
    expect(await keptEntryScores()).toEqual(await recomputedEntryScores());
    expect(await keptRankingInputs()).toEqual(await recomputedRankingInputs());
    await expectLeaderboardsEqualRecomputation();

    const migration = new JudgingJudgeStatistics1764950000000();
    const runner = judging.createQueryRunner();
    try {
      await migration.down(runner);
      expect((await judging.query(`SELECT to_regclass('judging.judge_statistics') AS name`))[0].name).toBeNull();
      await judging.query(`UPDATE judging.score SET value = 10 WHERE id = (SELECT id FROM judging.score WHERE round_id = $1 ORDER BY id LIMIT 1)`, [roundId]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await keptStatistics()).toEqual(await recomputedStatistics());
    expect(await keptEntryScores()).toEqual(await recomputedEntryScores());
    expect(await keptRankingInputs()).toEqual(await recomputedRankingInputs());
    await expectLeaderboardsEqualRecomputation();

    // The ranking input's own migration: undone, a score changed meanwhile, redone (judges numbered afresh).
    const rankingInput = new JudgingRankingInput1765300000000();
    const inputRunner = judging.createQueryRunner();
    try {
      await rankingInput.down(inputRunner);
      await judging.query(`UPDATE judging.score SET value = 1 WHERE id = (SELECT id FROM judging.score WHERE round_id = $1 ORDER BY id DESC LIMIT 1)`, [
        roundId,
      ]);
      await rankingInput.up(inputRunner);
    } finally {
      await inputRunner.release();
    }
    expect(await keptRankingInputs()).toEqual(await recomputedRankingInputs());
    await expectLeaderboardsEqualRecomputation();
  });

  it("keeps a SHORTLIST round's votes in its ranking input through votes, changed votes and recusals, and ranks them as the recomputation", async () => {
    const division = await seedDivision(system.dataSources.venues, { code: unique("S") });
    const venue = await seedVenue(system.dataSources.venues, { divisionId: division.id, country: "PT" });
    const entries: Entry[] = [];
    for (const themeCode of [ThemeCode.NATURE, ThemeCode.NATURE, ThemeCode.NATURE, ThemeCode.TECHNOLOGY])
      entries.push(await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, themeCode }));
    const judges: Judge[] = [];
    for (let index = 0; index < 3; index++) judges.push(await seedJudge(judging));
    const round = await api.createRound({ name: "Shortlist", kind: "SHORTLIST", divisionId: division.id, quorum: judges.length, passVotes: 2 });
    ok(await api.assignJudges({ roundId: round.id, judgeIds: judges.map((judge) => judge.id) }));
    await api.openRound(round.id);
    const settings = { kind: "SHORTLIST", scaleMin: null, scaleMax: null, acceptanceCapPercent: 100, passVotes: 2 };
    const expectKeptAndRanked = async () => {
      expect(await keptRankingInputs(round.id)).toEqual(await recomputedRankingInputs(round.id));
      const expected = await recomputedRanking(round.id, settings);
      const served = ok(
        await graphql(
          url,
          `
            query ($r: ID!) {
              leaderboard(roundId: $r, first: 100) {
                edges {
                  node {
                    entry {
                      id
                    }
                    yesVotes
                    meanScore
                    judgeCount
                    accepted
                    themeRank
                  }
                }
              }
            }
          `,
          { variables: { r: round.id }, token: organizerToken() },
        ),
      ).leaderboard;
      expect(served.edges.map((edge: any) => edge.node)).toEqual(
        expected.map((row) => ({
          entry: { id: row.entryId },
          yesVotes: row.yesVotes,
          meanScore: row.meanScore,
          judgeCount: row.judgeCount,
          accepted: row.accepted,
          themeRank: row.themeRank,
        })),
      );
    };

    // Nothing voted yet: every entry's input has its ids and no votes.
    expect(Object.values(await keptRankingInputs(round.id)).every((input: any) => input[4].length === 0)).toBe(true);
    await expectKeptAndRanked();
    const votes = [
      [true, true, false],
      [true, false, false],
      [false, true, true],
      [false, false, true],
    ];
    for (const [entryIndex, row] of votes.entries())
      for (const [judgeIndex, pass] of row.entries())
        ok(await api.submitScore(judges[judgeIndex].id, { roundId: round.id, entryId: entries[entryIndex].id, pass }));
    expect((await keptRankingInputs(round.id))[entries[0].id][4]).toContain(true);
    await expectKeptAndRanked();

    // A judge changes their mind (an UPDATE of the score), and another recuses from an entry they voted on (a DELETE).
    ok(await api.submitScore(judges[0].id, { roundId: round.id, entryId: entries[1].id, pass: false }));
    ok(await api.submitScore(judges[2].id, { roundId: round.id, entryId: entries[0].id, pass: true }));
    const assignment = (await api.assignments(round.id)).find((row) => row.judgeId === judges[1].id && row.entryId === entries[2].id)!;
    ok(await api.recuse(judges[1].id, assignment.id));
    await expectKeptAndRanked();
  });
});
