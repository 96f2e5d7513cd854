// The one definition of how a round's entries are scored, normalised, ranked and accepted, as a single SQL
// statement the leaderboard, award proposals and later rounds all build on (a fixed cost whatever the size).
//
// Normalisation (SCORE rounds). For each judge j of the round, with mean μj and population standard
// deviation σj of all the scores j gave in the round, a score x becomes z = (x − μj) / σj (z = 0 when σj = 0,
// e.g. a judge with a single score or identical scores: such a judge carries no information on order).
// An entry's mean z is rescaled to the round's scale with the mean μ and population standard deviation σ of
// all scores in the round: normalizedScore = clamp(μ + mean z × σ, scale.min, scale.max).
//
// Ranking and tie-break. SCORE rounds: normalizedScore (highest first), then meanScore (the plain mean of
// the raw scores), then judgeCount (more scores first), then entry id (ascending) so that every rank is
// unique and reproducible. Entries without any score come last. SHORTLIST rounds: yes votes, then the
// share of yes votes (meanScore), then judgeCount, then entry id.
//
// Acceptance. SHORTLIST: an entry is accepted (passes) with at least passVotes yes votes. SCORE: within each
// theme of the round, the first floor(entries of the theme × acceptanceCapPercent / 100) entries by the rank
// above are accepted, provided they have at least one score. The cap always counts per theme (a FIAP
// section), whichever theme/division filter a leaderboard view applies.
import { JudgingRound, RoundKind } from "../round/round.entity";

export interface RankedRow {
  entryId: string;
  theme: string;
  divisionId: string | null;
  venueId: string;
  meanScore: number | null;
  normalizedScore: number | null;
  judgeCount: number;
  yesVotes: number;
  assignedJudgeCount: number;
  themeRank: number;
  accepted: boolean;
}

export function rankingOrder(kind: RoundKind): string {
  return kind === RoundKind.SHORTLIST
    ? `yes_votes DESC, mean_score DESC NULLS LAST, judge_count DESC, entry_id ASC`
    : `normalized_score DESC NULLS LAST, mean_score DESC NULLS LAST, judge_count DESC, entry_id ASC`;
}

/**
 * A `WITH … judged AS (…)` prefix whose `judged` relation has one row per entry of the round.
 * Uses parameters $1..$5; callers continue numbering at $6.
 */
export function rankedEntries(round: JudgingRound): { sql: string; params: unknown[] } {
  const order = rankingOrder(round.kind);
  const acceptance =
    round.kind === RoundKind.SHORTLIST
      ? `yes_votes >= pass_votes`
      : `judge_count > 0 AND theme_rank <= floor(theme_entries * cap_percent / 100)`;
  const sql = `
    WITH settings AS (
      SELECT $2::float8 AS scale_min, $3::float8 AS scale_max, $4::float8 AS cap_percent, $5::int AS pass_votes
    ), judge_stats AS (
      SELECT judge_id, avg(value::float8) AS mean, stddev_pop(value::float8) AS sd
        FROM judging.score WHERE round_id = $1 AND value IS NOT NULL GROUP BY judge_id
    ), pooled AS (
      SELECT avg(value::float8) AS mean, COALESCE(stddev_pop(value::float8), 0) AS sd
        FROM judging.score WHERE round_id = $1 AND value IS NOT NULL
    ), entry_scores AS (
      SELECT score.entry_id,
             CASE WHEN bool_and(score.pass IS NOT NULL) THEN avg(CASE WHEN score.pass THEN 1.0 ELSE 0.0 END)::float8 ELSE avg(score.value::float8) END AS mean_score,
             avg(CASE WHEN judge_stats.sd > 0 THEN (score.value::float8 - judge_stats.mean) / judge_stats.sd ELSE 0 END) AS mean_z,
             count(*)::int AS judge_count,
             (count(*) FILTER (WHERE score.pass))::int AS yes_votes
        FROM judging.score score LEFT JOIN judge_stats ON judge_stats.judge_id = score.judge_id
       WHERE score.round_id = $1 GROUP BY score.entry_id
    ), assigned AS (
      SELECT entry_id, count(*)::int AS assigned_judge_count
        FROM judging.assignment WHERE round_id = $1 AND status <> 'RECUSED' GROUP BY entry_id
    ), scored AS (
      SELECT round_entry.entry_id, round_entry.theme, round_entry.division_id, round_entry.venue_id,
             entry_scores.mean_score,
             CASE WHEN entry_scores.mean_z IS NULL OR pooled.mean IS NULL THEN NULL
                  ELSE LEAST(settings.scale_max, GREATEST(settings.scale_min, pooled.mean + entry_scores.mean_z * pooled.sd)) END AS normalized_score,
             COALESCE(entry_scores.judge_count, 0) AS judge_count,
             COALESCE(entry_scores.yes_votes, 0) AS yes_votes,
             COALESCE(assigned.assigned_judge_count, 0) AS assigned_judge_count,
             settings.cap_percent, settings.pass_votes
        FROM judging.round_entry round_entry
        CROSS JOIN pooled
        CROSS JOIN settings
        LEFT JOIN entry_scores ON entry_scores.entry_id = round_entry.entry_id
        LEFT JOIN assigned ON assigned.entry_id = round_entry.entry_id
       WHERE round_entry.round_id = $1
    ), themed AS (
      SELECT scored.*,
             (row_number() OVER (PARTITION BY theme ORDER BY ${order}))::int AS theme_rank,
             (count(*) OVER (PARTITION BY theme))::int AS theme_entries
        FROM scored
    ), judged AS (
      SELECT themed.*, (${acceptance}) AS accepted FROM themed
    )`;
  const normalizedRound = round.kind === RoundKind.SHORTLIST ? [null, null] : [round.scaleMin, round.scaleMax];
  return { sql, params: [round.id, ...normalizedRound, round.acceptanceCapPercent, round.passVotes ?? 0] };
}

/** Columns of `judged` as RankedRow. */
export const RANKED_COLUMNS = `entry_id AS "entryId", theme, division_id AS "divisionId", venue_id AS "venueId",
  mean_score AS "meanScore", normalized_score AS "normalizedScore", judge_count AS "judgeCount", yes_votes AS "yesVotes",
  assigned_judge_count AS "assignedJudgeCount", theme_rank AS "themeRank", accepted`;
