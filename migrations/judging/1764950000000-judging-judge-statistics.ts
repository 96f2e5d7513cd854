import { MigrationInterface, QueryRunner } from "typeorm";

/** A score as round_entry.scores holds it: whole thousandths, or the vote in a SHORTLIST round. */
const SCORE_JSON = "COALESCE(to_jsonb((value * 1000)::int), to_jsonb(pass))";

/**
 * What an open round's leaderboard needs, kept up to date as scores change instead of read from every score:
 * each judge's running tally in a round (judging.judge_statistics: count, sum and sum of squares of their scores
 * in whole thousandths), and each round entry's current scores (judging.round_entry.scores: judge id → score in
 * thousandths, or the vote). Statement triggers on judging.score keep both, so they change in the same transaction
 * as the scores whatever changes them: a new score, a corrected one, one removed by a recusal or by a cascade from
 * its assignment, a bulk COPY. Both are updated by difference (add the new rows, take the old ones away), which
 * concurrent transactions compose safely: an UPDATE in READ COMMITTED re-applies its change to the latest row.
 * Exact integers: the ranking (leaderboard.ranking.ts) computes the same means and spreads from them as from the
 * scores. Existing rounds are backfilled.
 */
export class JudgingJudgeStatistics1764950000000 implements MigrationInterface {
  name = "JudgingJudgeStatistics1764950000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE judging.round_entry ADD COLUMN scores jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      CREATE TABLE judging.judge_statistics (
        round_id uuid NOT NULL REFERENCES judging.judging_round(id) ON DELETE CASCADE,
        judge_id uuid NOT NULL REFERENCES judging.judge(id),
        score_count int NOT NULL,
        value_sum bigint NOT NULL,
        value_sum_of_squares numeric(38,0) NOT NULL,
        PRIMARY KEY (round_id, judge_id)
      )`);
    // One function for the three triggers: a statement's old rows are taken away and its new rows added, grouped
    // by judge (and by entry), so a COPY of 100,000 scores costs one statement each. Votes (value NULL) do not
    // count in the tallies.
    await queryRunner.query(`
      CREATE FUNCTION judging.score_judge_statistics() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO judging.judge_statistics AS statistics (round_id, judge_id, score_count, value_sum, value_sum_of_squares)
          SELECT round_id, judge_id, -count(*), -sum((value * 1000)::bigint), -sum(((value * 1000)::bigint)::numeric * ((value * 1000)::bigint))
            FROM old_scores WHERE value IS NOT NULL GROUP BY round_id, judge_id
          ON CONFLICT (round_id, judge_id) DO UPDATE SET
            score_count = statistics.score_count + excluded.score_count,
            value_sum = statistics.value_sum + excluded.value_sum,
            value_sum_of_squares = statistics.value_sum_of_squares + excluded.value_sum_of_squares;
          UPDATE judging.round_entry round_entry SET scores = round_entry.scores - removed.judges
            FROM (SELECT round_id, entry_id, array_agg(judge_id::text) AS judges FROM old_scores GROUP BY round_id, entry_id) removed
           WHERE round_entry.round_id = removed.round_id AND round_entry.entry_id = removed.entry_id;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO judging.judge_statistics AS statistics (round_id, judge_id, score_count, value_sum, value_sum_of_squares)
          SELECT round_id, judge_id, count(*), sum((value * 1000)::bigint), sum(((value * 1000)::bigint)::numeric * ((value * 1000)::bigint))
            FROM new_scores WHERE value IS NOT NULL GROUP BY round_id, judge_id
          ON CONFLICT (round_id, judge_id) DO UPDATE SET
            score_count = statistics.score_count + excluded.score_count,
            value_sum = statistics.value_sum + excluded.value_sum,
            value_sum_of_squares = statistics.value_sum_of_squares + excluded.value_sum_of_squares;
          UPDATE judging.round_entry round_entry SET scores = round_entry.scores || added.scores
            FROM (SELECT round_id, entry_id, jsonb_object_agg(judge_id, ${SCORE_JSON}) AS scores FROM new_scores GROUP BY round_id, entry_id) added
           WHERE round_entry.round_id = added.round_id AND round_entry.entry_id = added.entry_id;
        END IF;
        RETURN NULL;
      END $$`);
    // PostgreSQL allows transition tables only on single-event triggers: one trigger per event.
    await queryRunner.query(
      `CREATE TRIGGER score_judge_statistics_insert AFTER INSERT ON judging.score REFERENCING NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION judging.score_judge_statistics()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER score_judge_statistics_update AFTER UPDATE ON judging.score REFERENCING OLD TABLE AS old_scores NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION judging.score_judge_statistics()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER score_judge_statistics_delete AFTER DELETE ON judging.score REFERENCING OLD TABLE AS old_scores FOR EACH STATEMENT EXECUTE FUNCTION judging.score_judge_statistics()`,
    );
    await queryRunner.query(`
      INSERT INTO judging.judge_statistics (round_id, judge_id, score_count, value_sum, value_sum_of_squares)
      SELECT round_id, judge_id, count(*), sum((value * 1000)::bigint), sum(((value * 1000)::bigint)::numeric * ((value * 1000)::bigint))
        FROM judging.score WHERE value IS NOT NULL GROUP BY round_id, judge_id`);
    await queryRunner.query(`
      UPDATE judging.round_entry round_entry SET scores = current.scores
        FROM (SELECT round_id, entry_id, jsonb_object_agg(judge_id, ${SCORE_JSON}) AS scores FROM judging.score GROUP BY round_id, entry_id) current
       WHERE round_entry.round_id = current.round_id AND round_entry.entry_id = current.entry_id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER score_judge_statistics_delete ON judging.score`);
    await queryRunner.query(`DROP TRIGGER score_judge_statistics_update ON judging.score`);
    await queryRunner.query(`DROP TRIGGER score_judge_statistics_insert ON judging.score`);
    await queryRunner.query(`DROP FUNCTION judging.score_judge_statistics()`);
    await queryRunner.query(`DROP TABLE judging.judge_statistics`);
    await queryRunner.query(`ALTER TABLE judging.round_entry DROP COLUMN scores`);
  }
}
