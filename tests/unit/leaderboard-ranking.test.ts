// The ranking's rules, one per test (subgraphs/judging/leaderboard/leaderboard.ranking.ts). Scores are given in
// whole thousandths, as the store reads them.
import { compareFractions, roundQuotient, roundSqrtQuotient } from "../../subgraphs/judging/leaderboard/fixed-point";
import {
  acceptedCount,
  addToTally,
  emptyTally,
  explainScores,
  MIN_SCORES_TO_NORMALISE,
  RankingEntry,
  RankingScore,
  rankEntries,
  rankRound,
  roundStatistics,
  statisticsOfScores,
  Tally,
  zScore,
  ZScoreBasis,
} from "../../subgraphs/judging/leaderboard/leaderboard.ranking";

const SCORE = { kind: "SCORE", scaleMin: 1, scaleMax: 10, acceptanceCapPercent: 30, passVotes: null };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const entry = (n: number, theme = "NATURE"): RankingEntry => ({ entryId: id(n), theme, divisionId: null, venueId: id(999) });
const score = (judge: string, entryNumber: number, value: number): RankingScore => ({
  judgeId: judge,
  entryId: id(entryNumber),
  value: Math.round(value * 1000),
  pass: null,
});
const tallyOf = (values: number[]): Tally => {
  const tally = emptyTally();
  for (const value of values) addToTally(tally, Math.round(value * 1000));
  return tally;
};
const order = (rows: { entryId: string }[]) => rows.map((row) => row.entryId);

describe("fixed-point arithmetic", () => {
  it("rounds a quotient to the nearest integer, halves away from zero", () => {
    expect([roundQuotient(5n, 2n), roundQuotient(-5n, 2n), roundQuotient(7n, 3n), roundQuotient(-7n, 3n), roundQuotient(8n, 3n)]).toEqual([
      3n,
      -3n,
      2n,
      -2n,
      3n,
    ]);
  });

  it("rounds p·√d / r exactly, including halves of perfect squares", () => {
    expect(roundSqrtQuotient(1_000_000_000n, 2n, 1n)).toBe(1_414_213_562n); // √2 = 1.4142135623…
    expect(roundSqrtQuotient(1n, 9n, 2n)).toBe(2n); // 1.5 → 2
    expect(roundSqrtQuotient(-1n, 9n, 2n)).toBe(-2n);
    expect(roundSqrtQuotient(10n ** 30n, 10n ** 40n + 1n, 1n)).toBe(10n ** 50n + 5_000_000_000n); // 10⁵⁰·√(1 + 10⁻⁴⁰), beyond a double's precision
  });

  it("compares fractions without division", () => {
    expect([compareFractions(1n, 3n, 2n, 6n), compareFractions(1n, 3n, 1n, 2n), compareFractions(2n, 3n, 1n, 2n)]).toEqual([0, -1, 1]);
  });
});

describe("acceptance cap", () => {
  it("counts a fractional cap in whole numbers: 18.4% of 375 is 69", () => {
    expect(acceptedCount(375, 18.4)).toBe(69);
    expect(Math.floor((375 * 18.4) / 100)).toBe(68); // what floating point gave
  });

  it("rounds a fractional cap down, never up", () => {
    expect([acceptedCount(8, 12.5), acceptedCount(3, 33.33), acceptedCount(3, 33.34), acceptedCount(7, 14.29), acceptedCount(1000, 0.01)]).toEqual([
      1, 0, 1, 1, 0,
    ]);
  });

  it("accepts nothing or everything in small themes as the cap says", () => {
    expect([acceptedCount(1, 30), acceptedCount(3, 30), acceptedCount(4, 30), acceptedCount(1, 100), acceptedCount(2, 50), acceptedCount(0, 30)]).toEqual([
      0, 0, 1, 1, 1, 0,
    ]);
  });

  it("accepts per theme by themeRank, and only entries with a score", () => {
    const entries = [1, 2, 3, 4].map((n) => entry(n, "NATURE")).concat([5, 6].map((n) => entry(n, "TECHNOLOGY")));
    const scores = [score("j", 1, 9), score("j", 2, 8), score("j", 3, 7), score("j", 5, 6)];
    const rows = rankRound({ ...SCORE, acceptanceCapPercent: 50 }, entries, scores);
    expect(
      rows
        .filter((row) => row.accepted)
        .map((row) => row.entryId)
        .sort(),
    ).toEqual([id(1), id(2), id(5)]);
    expect(rows.find((row) => row.entryId === id(6))).toMatchObject({ themeRank: 2, accepted: false, judgeCount: 0 });
  });
});

describe("normalisation", () => {
  it("turns a judge's score into a z-score with their own mean and population spread once they gave enough scores", () => {
    const judge = tallyOf([1, 2, 3, 4, 5]); // mean 3, σ = √2
    const statistics = roundStatistics(judge, new Map([["j", judge]]));
    expect(zScore(5000, judge, statistics)).toEqual({ z: 1_414_213_562n, basis: ZScoreBasis.JUDGE });
    expect(zScore(3000, judge, statistics).z).toBe(0n);
  });

  it("gives z = 0 for a judge whose scores are all the same", () => {
    const judge = tallyOf([6, 6, 6, 6, 6, 6]);
    const round = tallyOf([6, 6, 6, 6, 6, 6, 1, 9]);
    expect(zScore(6000, judge, roundStatistics(round, new Map([["j", judge]])))).toEqual({ z: 0n, basis: ZScoreBasis.JUDGE });
  });

  it(`places the scores of a judge with fewer than ${MIN_SCORES_TO_NORMALISE} scores on the round's scale, at face value`, () => {
    const few = tallyOf([1]);
    const round = tallyOf([1, 4, 6, 8, 6]); // mean 5, σ = √5.6
    const statistics = roundStatistics(round, new Map([["j", few]]));
    const { z, basis } = zScore(1000, few, statistics);
    expect(basis).toBe(ZScoreBasis.ROUND);
    expect(Number(z) / 1e9).toBeCloseTo((1 - 5) / Math.sqrt(5.6), 8);
    // Rescaled, a lone score of 1 is worth 1: not the round's average, as z = 0 used to make it.
    const explained = explainScores([{ judgeId: "j", value: 1000 }], statistics, { min: 1, max: 10 })!;
    expect(explained.normalizedScore).toBe(1);
  });

  it("no longer ranks an entry scored 1.0 by a single-score judge above entries informative judges scored 5, 5, 7.5 and 3", () => {
    // Two informative judges score entries 1–8; entry 9 gets a single 1.0 from a judge who scored nothing else.
    const entries = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => entry(n));
    const a = [5, 5, 6, 7, 8, 9, 4, 6];
    const b = [7.5, 3, 6, 7, 8, 9, 5, 4];
    const scores = [...a.map((value, index) => score("a", index + 1, value)), ...b.map((value, index) => score("b", index + 1, value)), score("lone", 9, 1)];
    const rows = rankRound(SCORE, entries, scores);
    const rank = (n: number) => rows.findIndex((row) => row.entryId === id(n)) + 1;
    expect(rank(9)).toBe(9);
    expect(rank(9)).toBeGreaterThan(rank(1));
    expect(rank(9)).toBeGreaterThan(rank(2));
    expect(rows[8].normalizedScore).toBe(1);
  });

  it("treats judges with many scores as before: mean z rescaled with the round's mean and spread", () => {
    const entries = [1, 2, 3, 4, 5, 6].map((n) => entry(n));
    const values: Record<string, number[]> = { harsh: [2, 3, 4, 5, 3, 2], lenient: [8, 9, 10, 9, 7, 8], middle: [5, 6, 7, 5, 4, 9] };
    const scores = Object.entries(values).flatMap(([judge, list]) => list.map((value, index) => score(judge, index + 1, value)));
    const rows = rankRound(SCORE, entries, scores);
    // The previous rule, in floating point: z per judge, mean z per entry, μ + z̄ × σ.
    const all = Object.values(values).flat();
    const mean = (list: number[]) => list.reduce((sum, x) => sum + x, 0) / list.length;
    const sd = (list: number[]) => Math.sqrt(mean(list.map((x) => (x - mean(list)) ** 2)));
    for (const row of rows) {
      const index = entries.findIndex((candidate) => candidate.entryId === row.entryId);
      const zs = Object.values(values).map((list) => (list[index] - mean(list)) / sd(list));
      expect(row.normalizedScore!).toBeCloseTo(Math.min(10, Math.max(1, mean(all) + mean(zs) * sd(all))), 5);
    }
  });

  it("clamps the rescaled score to the scale", () => {
    // A judge whose 10 stands 3 spreads above their mean, in a round whose spread is wider than theirs.
    const judge = tallyOf([1, 1, 1, 1, 1, 1, 1, 1, 1, 10]);
    const steady = tallyOf([9, 9, 9, 9, 9]);
    const statistics = roundStatistics(
      tallyOf([1, 1, 1, 1, 1, 1, 1, 1, 1, 10, 9, 9, 9, 9, 9]),
      new Map([
        ["j", judge],
        ["s", steady],
      ]),
    );
    const explained = explainScores([{ judgeId: "j", value: 10000 }], statistics, { min: 1, max: 10 })!;
    expect(explained.rescaled).toBeGreaterThan(10);
    expect(explained.normalizedScore).toBe(10);
  });

  it("rounds normalised scores to 6 decimals", () => {
    const entries = [1, 2, 3].map((n) => entry(n));
    const rows = rankRound(SCORE, entries, [score("j", 1, 1), score("j", 2, 2), score("j", 3, 10)]);
    for (const row of rows) expect(Math.round(row.normalizedScore! * 1e6) / 1e6).toBe(row.normalizedScore);
  });

  it("explains a normalised score with the ranking's own numbers", () => {
    const entries = [1, 2, 3, 4, 5].map((n) => entry(n));
    const scores = [
      ...[3, 5, 7, 9, 4].map((value, index) => score("a", index + 1, value)),
      ...[6, 6, 8, 9, 7].map((value, index) => score("b", index + 1, value)),
      score("c", 2, 2),
    ];
    const rows = rankRound(SCORE, entries, scores);
    const round = tallyOf(scores.map((s) => s.value! / 1000));
    const judges = new Map(["a", "b", "c"].map((judge) => [judge, tallyOf(scores.filter((s) => s.judgeId === judge).map((s) => s.value! / 1000))]));
    const statistics = roundStatistics(round, judges);
    for (const row of rows) {
      const own = scores.filter((s) => s.entryId === row.entryId).map((s) => ({ judgeId: s.judgeId, value: s.value! }));
      expect(explainScores(own, statistics, { min: 1, max: 10 })!.normalizedScore).toBe(row.normalizedScore);
    }
    const explained = explainScores(
      [
        { judgeId: "a", value: 5000 },
        { judgeId: "b", value: 6000 },
        { judgeId: "c", value: 2000 },
      ],
      statistics,
      { min: 1, max: 10 },
    )!;
    expect(explained.contributions.map((c) => [c.judgeId, c.basis, c.judgeScoreCount, c.judgeMean])).toEqual([
      ["a", ZScoreBasis.JUDGE, 5, 5.6],
      ["b", ZScoreBasis.JUDGE, 5, 7.2],
      ["c", ZScoreBasis.ROUND, 1, 2],
    ]);
  });
});

describe("ranking order", () => {
  it("ranks by normalised score first", () => {
    const rows = rankRound(SCORE, [entry(1), entry(2)], [score("j", 1, 4), score("j", 2, 8)]);
    expect(order(rows)).toEqual([id(2), id(1)]);
  });

  it("breaks a tie in normalised score by the higher mean", () => {
    // Judge a scores entries 1 and 2 far above their many 1s; judge b widens the round's spread. Both entries
    // clamp to 10; entry 2's raw mean is higher.
    const ones = Array.from({ length: 30 }, (_unused, index) => score("a", index + 3, 1));
    const wide = Array.from({ length: 10 }, (_unused, index) => score("b", index + 40, index % 2 ? 1 : 9));
    const scores = [...ones, ...wide, score("a", 1, 9), score("a", 2, 10)];
    const entries = [...new Set(scores.map((s) => s.entryId))].map((entryId) => ({ ...entry(0), entryId }));
    const rows = rankRound(SCORE, entries, scores);
    expect(rows[0].normalizedScore).toBe(rows[1].normalizedScore);
    expect(order(rows).slice(0, 2)).toEqual([id(2), id(1)]);
  });

  it("then by the number of scores", () => {
    // A judge with identical scores gives z = 0: both entries get the round's mean and the same raw mean.
    const same = Array(6).fill(5);
    const scores = [
      ...same.map((value, index) => score("a", index + 1, value)),
      ...same.map((value, index) => score("b", index + 1, value)).filter((s) => s.entryId !== id(1)),
    ];
    const rows = rankRound(SCORE, [1, 2].map((n) => entry(n)).concat([3, 4, 5, 6].map((n) => entry(n))), scores);
    const [first, second] = rows.filter((row) => row.entryId === id(1) || row.entryId === id(2));
    expect(first.normalizedScore).toBe(second.normalizedScore);
    expect([first.entryId, first.judgeCount, second.judgeCount]).toEqual([id(2), 2, 1]);
  });

  it("then by entry id, ascending", () => {
    const rows = rankRound(SCORE, [entry(2), entry(1)], [score("j", 2, 7), score("j", 1, 7)]);
    expect(order(rows)).toEqual([id(1), id(2)]);
  });

  it("puts entries without scores last", () => {
    const rows = rankRound(SCORE, [entry(1), entry(2)], [score("j", 2, 1)]);
    expect(rows.map((row) => [row.entryId, row.normalizedScore, row.meanScore])).toEqual([
      [id(2), 1, 1],
      [id(1), null, null],
    ]);
  });

  it("gives identical normalised scores whatever the order the scores arrived in", () => {
    const scores = [
      score("a", 1, 7),
      score("b", 1, 6.5),
      score("c", 1, 8),
      score("a", 2, 7),
      score("b", 2, 6.5),
      score("c", 2, 8),
      score("a", 3, 2),
      score("b", 3, 9),
      score("c", 3, 4.5),
    ].concat([4, 5, 6].flatMap((n) => [score("a", n, n), score("b", n, 10 - n), score("c", n, 3)]));
    const entries = [1, 2, 3, 4, 5, 6].map((n) => entry(n));
    const forward = rankRound(SCORE, entries, scores);
    const backward = rankRound(SCORE, entries, [...scores].reverse());
    expect(backward).toEqual(forward);
    expect(forward.find((row) => row.entryId === id(1))!.normalizedScore).toBe(forward.find((row) => row.entryId === id(2))!.normalizedScore);
  });

  it("ranks SHORTLIST rounds by yes votes and passes entries with passVotes yes votes", () => {
    const vote = (judge: string, n: number, pass: boolean): RankingScore => ({ judgeId: judge, entryId: id(n), value: null, pass });
    const rows = rankRound(
      { kind: "SHORTLIST", scaleMin: null, scaleMax: null, acceptanceCapPercent: 30, passVotes: 2 },
      [1, 2, 3].map((n) => entry(n)),
      [vote("a", 1, true), vote("b", 1, false), vote("a", 2, true), vote("b", 2, true), vote("a", 3, false)],
    );
    expect(rows.map((row) => [row.entryId, row.yesVotes, row.meanScore, row.accepted, row.normalizedScore])).toEqual([
      [id(2), 2, 1, true, null],
      [id(1), 1, 0.5, false, null],
      [id(3), 0, 0, false, null],
    ]);
  });
});

describe("ranking from kept statistics (open rounds)", () => {
  it("tallies each judge's scores and the round's from the scores, votes left out", () => {
    const statistics = statisticsOfScores([score("a", 1, 4), score("a", 2, 6), score("b", 1, 8), { judgeId: "c", entryId: id(1), value: null, pass: true }]);
    expect(statistics.round).toEqual(tallyOf([4, 6, 8]));
    expect(Object.fromEntries(statistics.judges)).toEqual({ a: tallyOf([4, 6]), b: tallyOf([8]) });
  });

  it("ranks one theme with the round's statistics exactly as the whole round ranks that theme", () => {
    // Judge a scores both themes: their mean and spread come from all their scores, not the theme's alone.
    const entries = [entry(1), entry(2), entry(3), entry(4, "TECHNOLOGY"), entry(5, "TECHNOLOGY"), entry(6, "TECHNOLOGY")];
    const scores = [
      ...[7, 5.5, 9, 2, 3, 1.5].map((value, index) => score("a", index + 1, value)),
      ...[6, 8, 4].map((value, index) => score("b", index + 1, value)),
      ...[3, 9.5].map((value, index) => score("c", index + 4, value)),
    ];
    const nature = (rows: { theme: string }[]) => rows.filter((row) => row.theme === "NATURE");
    const whole = rankRound(SCORE, entries, scores);
    const themeScores = scores.filter((item) => Number(item.entryId.slice(-3)) <= 3);
    expect(rankEntries(SCORE, statisticsOfScores(scores), entries.slice(0, 3), themeScores)).toEqual(nature(whole));
    expect(rankRound(SCORE, entries.slice(0, 3), themeScores)).not.toEqual(nature(whole));
  });

  it("leaves normalised scores empty when the statistics hold no score yet", () => {
    const rows = rankEntries(SCORE, statisticsOfScores([]), [entry(1)], [score("a", 1, 7)]);
    expect(rows[0]).toMatchObject({ normalizedScore: null, meanScore: 7, judgeCount: 1 });
  });
});
