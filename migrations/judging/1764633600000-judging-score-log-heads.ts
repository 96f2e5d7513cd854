import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Published score-log heads (issue #18): when a round closes and when its awards are published, the chain's head
 * (hash, record count, time) and its JWS are fixed here. Append-only like the score log, so the record partners
 * were given stays the record the API shows.
 */
export class JudgingScoreLogHeads1764633600000 implements MigrationInterface {
  name = "JudgingScoreLogHeads1764633600000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE judging.score_log_head (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        round_id uuid NOT NULL REFERENCES judging.judging_round(id),
        reason text NOT NULL CHECK (reason IN ('ROUND_CLOSED','AWARDS_PUBLISHED')),
        hash text NOT NULL,
        record_count int NOT NULL CHECK (record_count >= 0),
        fixed_at timestamptz NOT NULL,
        jws text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX score_log_head_round_idx ON judging.score_log_head (round_id, id)`);
    await queryRunner.query(`
      CREATE FUNCTION judging.refuse_score_log_head_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'judging.score_log_head is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER score_log_head_append_only BEFORE UPDATE OR DELETE ON judging.score_log_head
      FOR EACH ROW EXECUTE FUNCTION judging.refuse_score_log_head_change()`);
    await queryRunner.query(`
      CREATE TRIGGER score_log_head_no_truncate BEFORE TRUNCATE ON judging.score_log_head
      FOR EACH STATEMENT EXECUTE FUNCTION judging.refuse_score_log_head_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE judging.score_log_head`);
    await queryRunner.query(`DROP FUNCTION judging.refuse_score_log_head_change()`);
  }
}
