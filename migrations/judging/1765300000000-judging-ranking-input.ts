import { MigrationInterface, QueryRunner } from "typeorm";

/** One round entry's current scores as a flat JSON array of pairs, judge number then score or vote, by judge number. */
const FLAT_SCORES = (scores: string) => `coalesce(
  (SELECT '[' || string_agg(judge.number || ',' || score.value::text, ',' ORDER BY judge.number) || ']'
     FROM jsonb_each(${scores}) score JOIN judging.judge judge ON judge.id = score.key::uuid),
  '[]')`;

/**
 * What the ranking reads of a round entry, in the shape it reads it (leaderboard.store.ts's loadRankingInput):
 * `["<entry id>","<theme>","<division id>" or null,"<venue id>",[<judge number>,<score or vote>,…]]`.
 * Ids are uuids and the theme a checked theme code, so the text needs no escaping.
 */
const RANKING_INPUT = (row: string) =>
  `('["' || ${row}.entry_id || '","' || ${row}.theme || '",' || coalesce('"' || ${row}.division_id || '"', 'null') || ',"' || ${row}.venue_id || '",' || ${FLAT_SCORES(`${row}.scores`)} || ']')::json`;

/**
 * An open round's leaderboard reads every entry of a theme on each request (10,000 rows at full scale), so each
 * round entry keeps the JSON text the ranking takes for it: judging.round_entry.ranking_input, the entry's ids and
 * its current scores as one flat array of pairs, score in whole thousandths (or the vote, true or false). Reading
 * it is a string_agg of stored text: formatting three uuids and a jsonb per row on each request cost PostgreSQL
 * more than everything else the request does. Judges are named by judging.judge.number, a small integer given once
 * per judge, instead of their 36-character id, so the text is short and the ranking keys its tables by integers.
 *
 * A row trigger on round_entry keeps ranking_input, so whatever changes a round entry's scores (the statement
 * triggers on judging.score: a score, a correction, a recusal, a COPY) or its ids changes it in the same statement,
 * derived from the row as finally written (a concurrent UPDATE re-applies to the latest row, trigger included).
 * Existing rows are backfilled.
 */
export class JudgingRankingInput1765300000000 implements MigrationInterface {
  name = "JudgingRankingInput1765300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // The backfill rewrites every round entry (~5 s for 76,000 at full scale on a quiet machine): the services' 15 s
    // statement deadline is for requests, not for a migration, which runs in its own transaction (SET LOCAL ends with it).
    await queryRunner.query(`SET LOCAL statement_timeout = 0`);
    // ALWAYS: numbers come from the identity only, so two judges never share one.
    await queryRunner.query(`ALTER TABLE judging.judge ADD COLUMN number int GENERATED ALWAYS AS IDENTITY UNIQUE`);
    await queryRunner.query(`ALTER TABLE judging.round_entry ADD COLUMN ranking_input json`);
    // Backfilled before the trigger exists (ALTER TABLE holds round_entry against writers until the migration
    // commits), so each row is computed once.
    await queryRunner.query(`UPDATE judging.round_entry round_entry SET ranking_input = ${RANKING_INPUT("round_entry")}`);
    await queryRunner.query(`ALTER TABLE judging.round_entry ALTER COLUMN ranking_input SET NOT NULL`);
    await queryRunner.query(`
      CREATE FUNCTION judging.round_entry_ranking_input() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.ranking_input := ${RANKING_INPUT("NEW")};
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER round_entry_ranking_input BEFORE INSERT OR UPDATE ON judging.round_entry FOR EACH ROW EXECUTE FUNCTION judging.round_entry_ranking_input()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER round_entry_ranking_input ON judging.round_entry`);
    await queryRunner.query(`DROP FUNCTION judging.round_entry_ranking_input()`);
    await queryRunner.query(`ALTER TABLE judging.round_entry DROP COLUMN ranking_input`);
    await queryRunner.query(`ALTER TABLE judging.judge DROP COLUMN number`);
  }
}
