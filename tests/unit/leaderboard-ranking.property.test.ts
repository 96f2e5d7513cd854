// Property tests of the ranking on random rounds (fast-check, fixed seed; FAST_CHECK_SEED explores further):
// arrival order never changes a rank; identical score sets from identical judges tie and fall to the entry id;
// and an independent recomputation, written here from the documented rule by a different method (fractions
// reduced by gcd, variances as sums of squared deviations, each z from its exact square, square roots by
// bisection, the cap parsed from its decimal text), agrees on every rank, normalised score and acceptance.
import fc from "fast-check";
import {
  RankingEntry,
  RankingScore,
  rankEntries,
  rankFlatEntries,
  rankRound,
  MIN_SCORES_TO_NORMALISE,
  rescale,
  rescaler,
  roundStatistics,
  statisticsOfScores,
} from "../../subgraphs/judging/leaderboard/leaderboard.ranking";

const seed = Number(process.env.FAST_CHECK_SEED ?? 20261202);
const runs = 150;

const SCALE = { min: 1, max: 10 };
/** Values on a 1–10 scale in steps of 0.5 (in thousandths), so ties are frequent. */
const valueArb = fc.integer({ min: 0, max: 18 }).map((step) => 1000 + step * 500);

interface RandomRound {
  entries: RankingEntry[];
  scores: RankingScore[];
  cap: number;
}

/** Judges scoring random subsets (some only one or two entries), some entries cloned to share another's scores. */
const roundArb: fc.Arbitrary<RandomRound> = fc
  .record({
    entryIds: fc.uniqueArray(fc.uuid(), { minLength: 2, maxLength: 14 }),
    themes: fc.array(fc.constantFrom("NATURE", "TECHNOLOGY"), { minLength: 14, maxLength: 14 }),
    judges: fc.array(
      fc.record({ id: fc.uuid(), covers: fc.array(fc.tuple(fc.boolean(), valueArb), { minLength: 14, maxLength: 14 }), few: fc.integer({ min: 0, max: 3 }) }),
      {
        minLength: 1,
        maxLength: 7,
      },
    ),
    cap: fc.constantFrom(30, 18.4, 33.33, 50, 12.5, 100),
  })
  .map(({ entryIds, themes, judges, cap }) => {
    const entries = entryIds.map((entryId, index) => ({ entryId, theme: themes[index], divisionId: null, venueId: entryId }));
    const judgeIds = [...new Set(judges.map((judge) => judge.id))];
    const scores: RankingScore[] = [];
    judges.forEach((judge, j) => {
      if (judgeIds[j] === undefined) return;
      // Judges with few > 0 score only their first `few` covered entries: one- and two-score judges are common.
      let covered = entries.filter((_entry, index) => judge.covers[index][0]);
      if (judge.few > 0) covered = covered.slice(0, judge.few);
      for (const entry of covered) scores.push({ judgeId: judgeIds[j], entryId: entry.entryId, value: judge.covers[entries.indexOf(entry)][1], pass: null });
    });
    return { entries, scores, cap };
  });

const shuffled = <T>(list: T[], keys: number[]): T[] =>
  list
    .map((item, index) => ({ item, key: keys[index % keys.length] * 1000 + index }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);

const settings = (cap: number) => ({ kind: "SCORE", scaleMin: SCALE.min, scaleMax: SCALE.max, acceptanceCapPercent: cap, passVotes: null });

describe("ranking properties", () => {
  it("never changes a rank or a normalised score when the arrival order is permuted", () => {
    fc.assert(
      fc.property(
        roundArb,
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 50 }),
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 50 }),
        (round, scoreKeys, entryKeys) => {
          const reference = rankRound(settings(round.cap), round.entries, round.scores);
          const permuted = rankRound(settings(round.cap), shuffled(round.entries, entryKeys), shuffled(round.scores, scoreKeys));
          expect(permuted).toEqual(reference);
        },
      ),
      { seed, numRuns: runs },
    );
  });

  it("ties entries with identical score sets from identical judges and orders them by entry id", () => {
    fc.assert(
      fc.property(roundArb, fc.uuid(), fc.array(fc.nat(1000), { minLength: 1, maxLength: 50 }), (round, cloneId, keys) => {
        const original = round.entries.find((entry) => round.scores.some((score) => score.entryId === entry.entryId));
        fc.pre(original !== undefined && !round.entries.some((entry) => entry.entryId === cloneId));
        const clone = { ...original!, entryId: cloneId };
        const cloneScores = round.scores.filter((score) => score.entryId === original!.entryId).map((score) => ({ ...score, entryId: cloneId }));
        const rows = rankRound(settings(round.cap), shuffled([...round.entries, clone], keys), shuffled([...round.scores, ...cloneScores], keys));
        const a = rows.findIndex((row) => row.entryId === original!.entryId);
        const b = rows.findIndex((row) => row.entryId === cloneId);
        expect(rows[a].normalizedScore).toBe(rows[b].normalizedScore);
        expect(rows[a].meanScore).toBe(rows[b].meanScore);
        expect(a < b).toBe(original!.entryId < cloneId);
      }),
      { seed, numRuns: runs },
    );
  });

  it("ranks each theme from the round's statistics exactly as the full recomputation ranks it", () => {
    fc.assert(
      fc.property(roundArb, fc.array(fc.nat(1000), { minLength: 1, maxLength: 50 }), (round, keys) => {
        const whole = rankRound(settings(round.cap), round.entries, round.scores);
        const statistics = statisticsOfScores(round.scores);
        for (const theme of ["NATURE", "TECHNOLOGY"]) {
          const entries = round.entries.filter((entry) => entry.theme === theme);
          const ids = new Set(entries.map((entry) => entry.entryId));
          const rows = rankEntries(
            settings(round.cap),
            statistics,
            shuffled(entries, keys),
            shuffled(
              round.scores.filter((score) => ids.has(score.entryId)),
              keys,
            ),
          );
          expect(rows).toEqual(whole.filter((row) => row.theme === theme));
        }
      }),
      { seed, numRuns: runs },
    );
  });

  it("ranks flat scores by judge number, entries in id order (as the store reads them) or not, exactly as the full recomputation", () => {
    fc.assert(
      fc.property(roundArb, fc.array(fc.nat(1000), { minLength: 1, maxLength: 50 }), fc.boolean(), (round, keys, inIdOrder) => {
        const whole = rankRound(settings(round.cap), round.entries, round.scores);
        const statistics = statisticsOfScores(round.scores);
        const numberOf = new Map([...statistics.judges.keys()].map((judgeId, index) => [judgeId, index + 1]));
        const numbered = roundStatistics(statistics.round, new Map([...statistics.judges].map(([judgeId, tally]) => [numberOf.get(judgeId)!, tally])));
        for (const theme of ["NATURE", "TECHNOLOGY"]) {
          const themeEntries = round.entries.filter((entry) => entry.theme === theme);
          const entries = inIdOrder ? [...themeEntries].sort((a, b) => (a.entryId < b.entryId ? -1 : 1)) : shuffled(themeEntries, keys);
          const flat = entries.map((entry) =>
            round.scores.filter((score) => score.entryId === entry.entryId).flatMap((score) => [numberOf.get(score.judgeId)!, score.value!]),
          );
          expect(rankFlatEntries(settings(round.cap), numbered, entries, flat)).toEqual(whole.filter((row) => row.theme === theme));
        }
      }),
      { seed, numRuns: runs },
    );
  });

  it("rescales in floating point exactly as the integer rescale, halves included", () => {
    const tallyArb = fc.record({
      count: fc.integer({ min: 1, max: 200_000 }),
      mean: fc.integer({ min: 1000, max: 10_000 }),
      spread: fc.integer({ min: 0, max: 4_500 }),
    });
    fc.assert(
      fc.property(
        tallyArb,
        fc.integer({ min: -3e10, max: 3e10 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        ({ count: drawn, mean, spread }, zSum, scores, half) => {
          let count = drawn;
          // Sums of squares consistent with the mean and spread (population variance spread², in thousandths).
          // Half the cases put the round's mean (in 10⁻⁶) on a half, with zSum = 0: sum / n = mean + 1/2000.
          const n = BigInt(half ? 2000 * ((count % 100) + 1) : count);
          const sum = BigInt(mean) * n + (half ? n / 2000n : 0n);
          count = Number(n);
          const round = { count, sum, sumOfSquares: (sum * sum + n - 1n) / n + BigInt(spread) ** 2n * n };
          const statistics = roundStatistics(round, new Map());
          const scale = { min: 1, max: 10 };
          const z = half ? 0 : zSum;
          expect(rescaler(statistics, scale)(z, scores)).toBe(Number(rescale(BigInt(z), scores, statistics, scale).clamped));
        },
      ),
      { seed, numRuns: runs * 4 },
    );
  });

  it("agrees with an independent exact recomputation on every rank, normalised score and acceptance", () => {
    fc.assert(
      fc.property(roundArb, fc.array(fc.nat(1000), { minLength: 1, maxLength: 50 }), (round, keys) => {
        const rows = rankRound(settings(round.cap), round.entries, shuffled(round.scores, keys));
        const expected = recompute(round);
        expect(rows.map((row) => [row.entryId, row.normalizedScore, row.themeRank, row.accepted])).toEqual(
          expected.map((row) => [row.entryId, row.normalized, row.themeRank, row.accepted]),
        );
      }),
      { seed, numRuns: runs },
    );
  });
});

// ---- The independent recomputation: exact fractions (BigInt numerator/denominator) from the documented rule. ----

interface Fraction {
  n: bigint;
  d: bigint;
}
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const frac = (n: bigint, d: bigint = 1n): Fraction => {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
};
const add = (a: Fraction, b: Fraction) => frac(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Fraction, b: Fraction) => frac(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Fraction, b: Fraction) => frac(a.n * b.n, a.d * b.d);
const div = (a: Fraction, b: Fraction) => frac(a.n * b.d, a.d * b.n);
const cmp = (a: Fraction, b: Fraction) => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};
const mean = (values: Fraction[]) =>
  div(
    values.reduce((sum, v) => add(sum, v), frac(0n)),
    frac(BigInt(values.length)),
  );
const variance = (values: Fraction[]) => {
  const m = mean(values);
  return div(
    values.reduce((sum, v) => add(sum, mul(sub(v, m), sub(v, m))), frac(0n)),
    frac(BigInt(values.length)),
  );
};
/** Integer square root by bisection. */
const isqrt = (x: bigint): bigint => {
  let low = 0n;
  let high = 1n;
  while (high * high <= x) high *= 2n;
  while (high - low > 1n) {
    const mid = (low + high) / 2n;
    if (mid * mid <= x) low = mid;
    else high = mid;
  }
  return low;
};
/** Half away from zero of a fraction. */
const roundFraction = (a: Fraction): bigint => {
  const negative = a.n < 0n;
  const n = negative ? -a.n : a.n;
  const q = (2n * n + a.d) / (2n * a.d);
  return negative ? -q : q;
};
/** round(sign · √s × unit) for a fraction s ≥ 0, via floor(v + ½) = floor((floor(2v) + 1) / 2) and floor(2v) = isqrt(floor(4·s·unit²)). */
const roundSqrtOf = (square: Fraction, unit: bigint, negative = false): bigint => {
  const twice = isqrt((4n * square.n * unit * unit) / square.d);
  const q = (twice + 1n) / 2n;
  return negative ? -q : q;
};

function recompute(round: RandomRound) {
  const UNIT = 1_000_000_000n;
  const value = (score: RankingScore) => frac(BigInt(score.value!), 1000n);
  const all = round.scores.map(value);
  const roundMean = all.length ? mean(all) : frac(0n);
  const roundSpread = all.length ? frac(roundSqrtOf(variance(all), UNIT), UNIT) : frac(0n);
  const byJudge = new Map<string, Fraction[]>();
  for (const score of round.scores) byJudge.set(score.judgeId, [...(byJudge.get(score.judgeId) ?? []), value(score)]);
  const z = (score: RankingScore): Fraction => {
    const own = byJudge.get(score.judgeId)!;
    const x = value(score);
    if (own.length >= MIN_SCORES_TO_NORMALISE) {
      const ownVariance = variance(own);
      if (ownVariance.n === 0n) return frac(0n);
      const deviation = sub(x, mean(own));
      // z² = deviation² / variance, exactly; z rounded to 9 decimals from its square.
      return frac(roundSqrtOf(div(mul(deviation, deviation), ownVariance), UNIT, deviation.n < 0n), UNIT);
    }
    if (roundSpread.n === 0n) return frac(0n);
    return frac(roundFraction(mul(div(sub(x, roundMean), roundSpread), frac(UNIT))), UNIT);
  };
  const rows = round.entries.map((entry) => {
    const own = round.scores.filter((score) => score.entryId === entry.entryId);
    if (!own.length) return { entry, normalized: null as Fraction | null, mean: null as Fraction | null, count: 0 };
    const meanZ = mean(own.map(z));
    let normalized = frac(roundFraction(mul(add(roundMean, mul(meanZ, roundSpread)), frac(1_000_000n))), 1_000_000n);
    if (cmp(normalized, frac(BigInt(SCALE.min))) < 0) normalized = frac(BigInt(SCALE.min));
    if (cmp(normalized, frac(BigInt(SCALE.max))) > 0) normalized = frac(BigInt(SCALE.max));
    return { entry, normalized, mean: mean(own.map(value)), count: own.length };
  });
  rows.sort((a, b) => {
    if (a.normalized === null || b.normalized === null) {
      if (a.normalized !== b.normalized) return a.normalized === null ? 1 : -1;
    } else if (cmp(a.normalized, b.normalized) !== 0) return -cmp(a.normalized, b.normalized);
    if (a.mean && b.mean && cmp(a.mean, b.mean) !== 0) return -cmp(a.mean, b.mean);
    if (a.count !== b.count) return b.count - a.count;
    return a.entry.entryId < b.entry.entryId ? -1 : 1;
  });
  // The cap as a decimal string's fraction, e.g. "18.4" → 184/10.
  const [whole, decimals = ""] = String(round.cap).split(".");
  const cap = frac(BigInt(whole + decimals), 10n ** BigInt(decimals.length));
  const themeSizes = new Map<string, number>();
  for (const row of rows) themeSizes.set(row.entry.theme, (themeSizes.get(row.entry.theme) ?? 0) + 1);
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const themeRank = (seen.get(row.entry.theme) ?? 0) + 1;
    seen.set(row.entry.theme, themeRank);
    const limit = mul(frac(BigInt(themeSizes.get(row.entry.theme)!)), div(cap, frac(100n)));
    const acceptedLimit = limit.n / limit.d; // floor of a non-negative fraction
    return {
      entryId: row.entry.entryId,
      normalized: row.normalized === null ? null : Number(row.normalized.n) / Number(row.normalized.d),
      themeRank,
      accepted: row.count > 0 && BigInt(themeRank) <= acceptedLimit,
    };
  });
}
