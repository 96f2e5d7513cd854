// The one definition of how a round's entries are scored, normalised, ranked and accepted: a pure function of
// the round's raw scores, so the leaderboard, award proposals, later rounds, the seed scripts and the tests
// all rank the same way. Documented for organisers in docs/organiser.md ("How a rank is made").
//
// Exactness (issue #18). Scores are stored with three decimals and enter as whole thousandths. Every number
// the order depends on is an integer of fixed units computed exactly (fixed-point.ts): z-scores and spreads in
// units of 10⁻⁹, normalised scores in units of 10⁻⁶, means and the acceptance cap as exact fractions. So the
// same scores give the same normalised scores whatever the order in which they arrived, and entries with the
// same scores from the same judges tie exactly and fall to the documented tie-break.
//
// Normalisation (SCORE rounds). For a judge j with nj scores in the round, mean μj and population standard
// deviation σj: z = (x − μj) / σj, rounded to 9 decimals (z = 0 when σj = 0: a judge who gave every entry the
// same score says nothing about order). A judge with fewer than MIN_SCORES_TO_NORMALISE scores is not
// normalised by their own mean and spread, which so few scores cannot estimate (one score gave z = 0 whatever
// the score; two gave ±1 however close): their raw score is placed on the round's scale instead,
// z = (x − μ) / σ with the round's mean μ and standard deviation σ, so it counts at face value. An entry's
// normalised score is μ + (mean of its z) × σ, clamped to the scale and rounded to 6 decimals, where μ is the
// mean of every score in the round and σ their population standard deviation rounded to 9 decimals.
//
// Ranking and tie-break. SCORE rounds: normalisedScore (highest first), then meanScore (the plain mean of the
// raw scores), then judgeCount (more scores first), then entry id (ascending) so that every rank is unique and
// reproducible. Entries without any score come last. SHORTLIST rounds: yes votes, then the share of yes votes
// (meanScore), then judgeCount, then entry id.
//
// Acceptance. SHORTLIST: an entry passes with at least passVotes yes votes. SCORE: within each theme of the
// round, the first floor(entries of the theme × acceptanceCapPercent / 100) entries by the rank above are
// accepted, provided they have at least one score; the cap (two decimals) is counted in whole hundredths of a
// percent, so floor(375 × 18.4 / 100) is 69. The cap always counts per theme (a FIAP section), whichever
// theme/division filter a leaderboard view applies.
import { roundQuotient, roundSqrtQuotient } from "./fixed-point";

/** A judge with fewer scores than this in a round is placed on the round's scale instead of their own. */
export const MIN_SCORES_TO_NORMALISE = 5;
/** Decimals of z-scores and spreads (units of 10⁻⁹). */
export const Z_DECIMALS = 9;
/** Decimals of normalised scores (units of 10⁻⁶); normalised scores are compared at this precision. */
export const NORMALISED_DECIMALS = 6;

const Z_UNIT = 10n ** BigInt(Z_DECIMALS);
const THOUSAND = 1000n;
const TEN_TO_12 = 10n ** 12n;

export interface RankingSettings {
  /** "SCORE" or "SHORTLIST" (RoundKind). */
  kind: string;
  scaleMin: number | null;
  scaleMax: number | null;
  acceptanceCapPercent: number;
  passVotes: number | null;
}

/** One current score or vote. `value` is the score in whole thousandths (7.25 → 7250); null for votes. */
export interface RankingScore {
  judgeId: string;
  entryId: string;
  value: number | null;
  pass: boolean | null;
}

/** One entry the round covers. */
export interface RankingEntry {
  entryId: string;
  theme: string;
  divisionId: string | null;
  venueId: string;
}

export interface RankedRow {
  entryId: string;
  theme: string;
  divisionId: string | null;
  venueId: string;
  meanScore: number | null;
  normalizedScore: number | null;
  judgeCount: number;
  yesVotes: number;
  themeRank: number;
  accepted: boolean;
}

/** Count, sum and sum of squares of scores in thousandths: all a mean and a population spread need, exactly. */
export interface Tally {
  count: number;
  sum: bigint;
  sumOfSquares: bigint;
}

export const emptyTally = (): Tally => ({ count: 0, sum: 0n, sumOfSquares: 0n });

export function addToTally(tally: Tally, value: number): void {
  const x = BigInt(value);
  tally.count += 1;
  tally.sum += x;
  tally.sumOfSquares += x * x;
}

/** n² × variance, in thousandths²: n·Σx² − (Σx)² (exact, never negative). */
const spreadRadicand = (tally: Tally) => BigInt(tally.count) * tally.sumOfSquares - tally.sum * tally.sum;

/** Mean of a tally on the score scale (for display). */
export const meanOf = (tally: Tally) => (tally.count ? Number(tally.sum) / 1000 / tally.count : null);

/** Population standard deviation of a tally in units of 10⁻⁹, rounded exactly. */
export function spreadNanos(tally: Tally): bigint {
  if (tally.count === 0) return 0n;
  // σ = √radicand / (1000 n) on the scale; × 10⁹.
  return roundSqrtQuotient(1_000_000n, spreadRadicand(tally), BigInt(tally.count));
}

/** What normalisation needs of a round: every score's tally, and each judge's. */
export interface RoundStatistics<Judge = string> {
  round: Tally;
  /** The round's spread, 10⁻⁹ units, as used for rescaling and for judges with few scores. */
  roundSpread: bigint;
  /** By judge id, or by the judge's number where the ranking reads judging.round_entry.ranking_input. */
  judges: Map<Judge, Tally>;
}

export function roundStatistics<Judge>(round: Tally, judges: Map<Judge, Tally>): RoundStatistics<Judge> {
  return { round, roundSpread: spreadNanos(round), judges };
}

export enum ZScoreBasis {
  JUDGE = "JUDGE",
  ROUND = "ROUND",
}

/** A score's z-score in units of 10⁻⁹ and whose mean and spread made it. */
export function zScore(value: number, judge: Tally, statistics: RoundStatistics<unknown>): { z: bigint; basis: ZScoreBasis } {
  const x = BigInt(value);
  if (judge.count >= MIN_SCORES_TO_NORMALISE) {
    const radicand = spreadRadicand(judge);
    if (radicand === 0n) return { z: 0n, basis: ZScoreBasis.JUDGE };
    // (x − μj)/σj = (n·x − Σx) / √radicand = (n·x − Σx)·√radicand / radicand.
    return { z: roundSqrtQuotient(Z_UNIT * (BigInt(judge.count) * x - judge.sum), radicand, radicand), basis: ZScoreBasis.JUDGE };
  }
  const { round, roundSpread } = statistics;
  if (roundSpread === 0n) return { z: 0n, basis: ZScoreBasis.ROUND };
  // (x − μ)/σ with μ = Σ/(1000·N) and σ = roundSpread/10⁹, x = value/1000.
  const n = BigInt(round.count);
  return { z: roundQuotient((n * x - round.sum) * Z_UNIT * Z_UNIT, THOUSAND * n * roundSpread), basis: ZScoreBasis.ROUND };
}

/** μ + (Σz / count) × σ in units of 10⁻⁶, before and after clamping to the scale. */
export function rescale(
  zSum: bigint,
  count: number,
  statistics: RoundStatistics<unknown>,
  scale: { min: number; max: number },
): { unclamped: bigint; clamped: bigint } {
  const { round, roundSpread } = statistics;
  const n = BigInt(round.count);
  const k = BigInt(count);
  // 10⁶·Σ/(1000·N) + 10⁶·Σz·σ/(10⁹·10⁹·k), over the common denominator N·k·10¹².
  const unclamped = roundQuotient(THOUSAND * round.sum * k * TEN_TO_12 + zSum * roundSpread * n, n * k * TEN_TO_12);
  const min = BigInt(Math.round(scale.min * 1e6));
  const max = BigInt(Math.round(scale.max * 1e6));
  return { unclamped, clamped: unclamped < min ? min : unclamped > max ? max : unclamped };
}

/**
 * rescale's clamped value for the entries of one round, in units of 10⁻⁶ as a number, fast: computed in floating
 * point, whose error here stays below 10⁻⁸ units (integers below 2⁵³, a few correctly rounded operations on values
 * near 10⁷), and so rounds exactly as rescale does unless the value lies within 10⁻⁶ of a half, where rescale
 * itself decides. zSum must be a safe integer.
 */
export function rescaler(statistics: RoundStatistics<unknown>, scale: { min: number; max: number }): (zSum: number, count: number) => number {
  const mean = (1000 * Number(statistics.round.sum)) / statistics.round.count;
  const spread = Number(statistics.roundSpread);
  const inRange = Number.isSafeInteger(1000 * Number(statistics.round.sum)) && Number.isSafeInteger(spread);
  const min = Math.round(scale.min * 1e6);
  const max = Math.round(scale.max * 1e6);
  return (zSum, count) => {
    const value = mean + (zSum * spread) / (count * 1e12);
    const magnitude = Math.abs(value);
    const fraction = magnitude - Math.floor(magnitude);
    const rounded =
      inRange && magnitude < 2 ** 40 && Math.abs(fraction - 0.5) > 1e-6
        ? Math.sign(value) * Math.floor(magnitude + 0.5)
        : Number(rescale(BigInt(zSum), count, statistics, scale).unclamped);
    // (+ 0 turns −0 into 0.)
    return (rounded < min ? min : rounded > max ? max : rounded) + 0;
  };
}

/** How many entries of a theme can be accepted: floor(entries × cap / 100), the cap counted in whole hundredths. */
export function acceptedCount(themeEntries: number, acceptanceCapPercent: number): number {
  const hundredths = BigInt(Math.round(acceptanceCapPercent * 100));
  return Number((BigInt(themeEntries) * hundredths) / 10_000n);
}

/** The round's and each judge's tallies, from the scores themselves (votes do not count). */
export function statisticsOfScores(scores: RankingScore[]): RoundStatistics {
  const round = emptyTally();
  const judges = new Map<string, Tally>();
  for (const score of scores) {
    if (score.value === null) continue;
    addToTally(round, score.value);
    let tally = judges.get(score.judgeId);
    if (!tally) judges.set(score.judgeId, (tally = emptyTally()));
    addToTally(tally, score.value);
  }
  return roundStatistics(round, judges);
}

/** Every entry of the round, ranked, in ranking order (see the header for the rules): the full recomputation. */
export function rankRound(settings: RankingSettings, entries: RankingEntry[], scores: RankingScore[]): RankedRow[] {
  return rankEntries(settings, statisticsOfScores(settings.kind === "SCORE" ? scores : []), entries, scores);
}

/**
 * Some entries of a round, ranked with the round's statistics (as kept by judging.judge_statistics). Given every
 * entry of some themes and all their scores, the rows are exactly rankRound's rows of those themes, in the same
 * order: the order compares two entries by their own numbers only, and themeRank and the cap count per theme.
 */
export function rankEntries(settings: RankingSettings, statistics: RoundStatistics, entries: RankingEntry[], scores: RankingScore[]): RankedRow[] {
  const indexOf = new Map(entries.map((entry, index) => [entry.entryId, index]));
  const flat: (string | number | boolean)[][] = entries.map(() => []);
  for (const score of scores) {
    const index = indexOf.get(score.entryId);
    // (A score is a value or a vote, never both: judging.score checks it.)
    if (index !== undefined) flat[index].push(score.judgeId, score.value ?? score.pass!);
  }
  return rankFlatEntries(settings, statistics, entries, flat);
}

/**
 * One entry's current scores in one flat array: for each judge, the judge's key, then the score in whole thousandths
 * (a number) or the vote (a boolean). judging.round_entry.ranking_input keeps them so, judges by number:
 * [3,7500,12,6000]. One array per entry, not one object per score: the open round's leaderboard ranks 20,000
 * scores per request.
 */
export type FlatScores<Judge> = readonly (Judge | number | boolean)[];

/**
 * rankEntries over flat scores (scores[i] are entries[i]'s), judges named by any key the statistics use: the rows
 * are the same. Per-entry totals live in typed arrays and the sort orders entry indexes, so ranking 10,000 entries
 * allocates little beyond the rows it returns.
 */
export function rankFlatEntries<Judge>(
  settings: RankingSettings,
  statistics: RoundStatistics<Judge>,
  entries: readonly RankingEntry[],
  scores: readonly FlatScores<Judge>[],
): RankedRow[] {
  const isScore = settings.kind === "SCORE";
  const size = entries.length;
  // Sums are exact: integers far below 2⁵³ (a z-score's magnitude is at most √n for a judge with n scores, 10⁹ units
  // each, and an entry has a few scores).
  const count = new Int32Array(size);
  const yes = new Int32Array(size);
  const sum = new Float64Array(size);
  const zSum = new Float64Array(size);
  // A judge's scores are on the scale's steps, so the same z recurs: each (judge, value) is computed once.
  const zOf = new Map<Judge, Map<number, number>>();
  for (let index = 0; index < size; index++) {
    const given = scores[index];
    for (let at = 0; at < given.length; at += 2) {
      const value = given[at + 1];
      count[index] += 1;
      if (value === true) yes[index] += 1;
      else if (isScore && typeof value === "number") {
        sum[index] += value;
        const judge = given[at] as Judge;
        let judgeZ = zOf.get(judge);
        if (!judgeZ) zOf.set(judge, (judgeZ = new Map()));
        let z = judgeZ.get(value);
        if (z === undefined) judgeZ.set(value, (z = Number(zScore(value, statistics.judges.get(judge) ?? emptyTally(), statistics).z)));
        zSum[index] += z;
      }
    }
  }
  // Normalised scores in units of 10⁻⁶ (exact integers); −∞ for none, which sorts last and ties with another none.
  const normalised = new Float64Array(size).fill(-Infinity);
  // (Statistics without scores cannot rescale anything: there is nothing to rank by yet.)
  if (isScore && statistics.round.count > 0) {
    const normalise = rescaler(statistics, { min: settings.scaleMin!, max: settings.scaleMax! });
    for (let index = 0; index < size; index++) if (count[index] > 0) normalised[index] = normalise(zSum[index], count[index]);
  }

  // The last tie-break compares entry ids; ties are common (the same judges giving the same scores), so ids are
  // compared once, as ranks, not in every tie.
  const idRank = entryIdRanks(entries);
  const byEntryId = (a: number, b: number) => idRank[a] - idRank[b];
  // SCORE: normalised score, then mean, then more scores first, then entry id. SHORTLIST: yes votes, then their
  // share, then more votes first, then entry id.
  const compareScored = (a: number, b: number) =>
    normalised[a] !== normalised[b]
      ? normalised[a] > normalised[b]
        ? -1
        : 1
      : compareMeans(sum[a], count[a], sum[b], count[b]) || count[b] - count[a] || byEntryId(a, b);
  const compareVoted = (a: number, b: number) => yes[b] - yes[a] || compareMeans(yes[a], count[a], yes[b], count[b]) || count[b] - count[a] || byEntryId(a, b);
  const order: number[] = [];
  for (let index = 0; index < size; index++) order.push(index);
  order.sort(isScore ? compareScored : compareVoted);

  // Themes as small integers, so counting and ranking per theme are array steps.
  const themeIndexes = new Map<string, number>();
  const themeOf = new Int32Array(size);
  const themeEntries: number[] = [];
  for (let index = 0; index < size; index++) {
    let theme = themeIndexes.get(entries[index].theme);
    if (theme === undefined) {
      themeIndexes.set(entries[index].theme, (theme = themeEntries.length));
      themeEntries.push(0);
    }
    themeOf[index] = theme;
    themeEntries[theme] += 1;
  }
  const themeCaps = themeEntries.map((entryCount) => acceptedCount(entryCount, settings.acceptanceCapPercent));
  const themeRanks = new Int32Array(themeEntries.length);
  return order.map((index) => {
    const entry = entries[index];
    const themeRank = (themeRanks[themeOf[index]] += 1);
    const judgeCount = count[index];
    return {
      entryId: entry.entryId,
      theme: entry.theme,
      divisionId: entry.divisionId,
      venueId: entry.venueId,
      meanScore: judgeCount === 0 ? null : isScore ? sum[index] / 1000 / judgeCount : yes[index] / judgeCount,
      normalizedScore: normalised[index] === -Infinity ? null : normalised[index] / 1e6,
      judgeCount,
      yesVotes: yes[index],
      themeRank,
      accepted: isScore ? judgeCount > 0 && themeRank <= themeCaps[themeOf[index]] : yes[index] >= (settings.passVotes ?? 0),
    };
  });
}

/** Each entry's place in ascending entry-id order: the indexes themselves when the entries come so ordered (the store reads them so). */
function entryIdRanks(entries: readonly RankingEntry[]): Int32Array {
  const ranks = new Int32Array(entries.length);
  let ordered = true;
  for (let index = 0; index < entries.length; index++) {
    ranks[index] = index;
    if (index > 0 && !(entries[index - 1].entryId < entries[index].entryId)) ordered = false;
  }
  if (ordered) return ranks;
  const byId = Array.from(ranks).sort((a, b) => (entries[a].entryId < entries[b].entryId ? -1 : entries[a].entryId > entries[b].entryId ? 1 : 0));
  byId.forEach((index, rank) => (ranks[index] = rank));
  return ranks;
}

/** Entries without scores last; otherwise the higher fraction first (cross-multiplied: exact integers below 2⁵³). */
function compareMeans(aNum: number, aCount: number, bNum: number, bCount: number): number {
  if (aCount === 0 || bCount === 0) return (aCount === 0 ? 1 : 0) - (bCount === 0 ? 1 : 0);
  return Math.sign(bNum * aCount - aNum * bCount);
}

/** One judge's part in an entry's normalised score. */
export interface ScoreContribution {
  judgeId: string;
  /** The raw score (on the scale). */
  score: number;
  /** The judge's scores in the round: count, mean, population spread (10⁻⁹ precision). */
  judgeScoreCount: number;
  judgeMean: number;
  judgeSpread: number;
  /** JUDGE: z from the judge's own mean and spread; ROUND: the judge has too few scores, z from the round's. */
  basis: ZScoreBasis;
  zScore: number;
}

export interface ScoreExplanation {
  contributions: ScoreContribution[];
  meanZScore: number;
  roundMean: number;
  roundSpread: number;
  /** μ + mean z × σ before clamping to the scale, and the normalised score after (6 decimals). */
  rescaled: number;
  normalizedScore: number;
}

/**
 * How one entry's normalised score is made from its scores (values in thousandths), with the same arithmetic
 * as rankRound; null without scores. Contributions are listed by judge id.
 */
export function explainScores(
  scores: { judgeId: string; value: number }[],
  statistics: RoundStatistics,
  scale: { min: number; max: number },
): ScoreExplanation | null {
  if (!scores.length) return null;
  let zSum = 0n;
  const contributions = [...scores]
    .sort((a, b) => (a.judgeId < b.judgeId ? -1 : a.judgeId > b.judgeId ? 1 : 0))
    .map((score) => {
      const judge = statistics.judges.get(score.judgeId) ?? emptyTally();
      const { z, basis } = zScore(score.value, judge, statistics);
      zSum += z;
      return {
        judgeId: score.judgeId,
        score: score.value / 1000,
        judgeScoreCount: judge.count,
        judgeMean: meanOf(judge) ?? 0,
        judgeSpread: Number(spreadNanos(judge)) / 1e9,
        basis,
        zScore: Number(z) / 1e9,
      };
    });
  const { unclamped, clamped } = rescale(zSum, scores.length, statistics, scale);
  return {
    contributions,
    meanZScore: Number(roundQuotient(zSum, BigInt(scores.length))) / 1e9,
    roundMean: meanOf(statistics.round) ?? 0,
    roundSpread: Number(statistics.roundSpread) / 1e9,
    rescaled: Number(unclamped) / 1e6,
    normalizedScore: Number(clamped) / 1e6,
  };
}
