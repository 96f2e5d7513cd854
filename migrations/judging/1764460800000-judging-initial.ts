import { MigrationInterface, QueryRunner } from "typeorm";
import { outboxTableSql } from "../../lib/events/outbox";

const THEMES = "('NATURE','FOLK_CULTURE','TECHNOLOGY','EXCHANGES','OVERSEAS')";

/**
 * Judges, rounds (with a snapshot of their entries and judge pool), assignments, current scores,
 * the append-only hash-chained score log, awards, and the outbox for partner events (schema "judging").
 * Ids of other subgraphs' rows (entries, venues, organisations, divisions) are plain uuids: no cross-schema keys.
 */
export class JudgingInitial1764460800000 implements MigrationInterface {
  name = "JudgingInitial1764460800000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE judging.judge (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text,
        organization_ids uuid[] NOT NULL DEFAULT '{}',
        venue_ids uuid[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE judging.judging_round (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('SHORTLIST','SCORE')),
        status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT','OPEN','CLOSED')),
        theme text CHECK (theme IN ${THEMES}),
        division_id uuid,
        previous_round_id uuid REFERENCES judging.judging_round(id),
        quorum int NOT NULL DEFAULT 3 CHECK (quorum BETWEEN 1 AND 25),
        pass_votes int CHECK (pass_votes IS NULL OR (pass_votes >= 1 AND pass_votes <= quorum)),
        scale_min numeric(8,3),
        scale_max numeric(8,3),
        scale_step numeric(8,3) CHECK (scale_step IS NULL OR scale_step > 0),
        criteria jsonb NOT NULL DEFAULT '[]',
        acceptance_cap_percent numeric(5,2) NOT NULL DEFAULT 30 CHECK (acceptance_cap_percent > 0 AND acceptance_cap_percent <= 100),
        assignment_seed text,
        entries_loaded_at timestamptz,
        log_length int NOT NULL DEFAULT 0,
        log_head_hash text,
        opened_at timestamptz,
        closed_at timestamptz,
        closed_with_unscored int,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'SHORTLIST' AND pass_votes IS NOT NULL) OR
               (kind = 'SCORE' AND scale_min IS NOT NULL AND scale_max > scale_min AND scale_step IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE judging.round_entry (
        round_id uuid NOT NULL REFERENCES judging.judging_round(id) ON DELETE CASCADE,
        entry_id uuid NOT NULL,
        theme text NOT NULL CHECK (theme IN ${THEMES}),
        kind text NOT NULL,
        venue_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        division_id uuid,
        PRIMARY KEY (round_id, entry_id)
      )`);
    await queryRunner.query(`CREATE INDEX round_entry_scope_idx ON judging.round_entry (round_id, theme, division_id)`);
    await queryRunner.query(`
      CREATE TABLE judging.round_judge (
        round_id uuid NOT NULL REFERENCES judging.judging_round(id) ON DELETE CASCADE,
        judge_id uuid NOT NULL REFERENCES judging.judge(id),
        PRIMARY KEY (round_id, judge_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE judging.assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL,
        entry_id uuid NOT NULL,
        judge_id uuid NOT NULL REFERENCES judging.judge(id),
        status text NOT NULL DEFAULT 'ASSIGNED' CHECK (status IN ('ASSIGNED','SCORED','RECUSED')),
        origin text NOT NULL CHECK (origin IN ('AUTOMATIC','MANUAL','REASSIGNED')),
        recusal_reason text,
        recused_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (round_id, entry_id, judge_id),
        FOREIGN KEY (round_id, entry_id) REFERENCES judging.round_entry(round_id, entry_id) ON DELETE CASCADE,
        CHECK ((status = 'RECUSED') = (recusal_reason IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX assignment_judge_idx ON judging.assignment (judge_id, round_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX assignment_round_entry_idx ON judging.assignment (round_id, entry_id)`);
    await queryRunner.query(`
      CREATE TABLE judging.score (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assignment_id uuid NOT NULL UNIQUE REFERENCES judging.assignment(id) ON DELETE CASCADE,
        round_id uuid NOT NULL REFERENCES judging.judging_round(id),
        judge_id uuid NOT NULL REFERENCES judging.judge(id),
        entry_id uuid NOT NULL,
        value numeric(8,3),
        pass boolean,
        criteria jsonb NOT NULL DEFAULT '{}',
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((value IS NULL) <> (pass IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX score_round_judge_idx ON judging.score (round_id, judge_id)`);
    await queryRunner.query(`CREATE INDEX score_round_entry_idx ON judging.score (round_id, entry_id)`);
    await queryRunner.query(`CREATE INDEX score_entry_idx ON judging.score (entry_id)`);
    // The score log: one chain per round; each record's hash covers its content and the previous record's hash.
    await queryRunner.query(`
      CREATE TABLE judging.score_event (
        round_id uuid NOT NULL REFERENCES judging.judging_round(id),
        sequence int NOT NULL CHECK (sequence >= 1),
        assignment_id uuid NOT NULL,
        judge_id uuid NOT NULL,
        entry_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('SCORED','WITHDRAWN')),
        value numeric(8,3),
        pass boolean,
        criteria jsonb NOT NULL DEFAULT '{}',
        actor text NOT NULL,
        recorded_at timestamptz NOT NULL,
        previous_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (round_id, sequence)
      )`);
    await queryRunner.query(`CREATE INDEX score_event_entry_idx ON judging.score_event (round_id, entry_id, sequence)`);
    // Append-only: the application never updates or deletes log records; the database refuses it too.
    // (Someone able to disable the trigger can still edit a record; the hash chain is what reveals it.)
    await queryRunner.query(`
      CREATE FUNCTION judging.refuse_score_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'judging.score_event is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER score_event_append_only BEFORE UPDATE OR DELETE ON judging.score_event
      FOR EACH ROW EXECUTE FUNCTION judging.refuse_score_event_change()`);
    await queryRunner.query(`
      CREATE TRIGGER score_event_no_truncate BEFORE TRUNCATE ON judging.score_event
      FOR EACH STATEMENT EXECUTE FUNCTION judging.refuse_score_event_change()`);
    await queryRunner.query(`
      CREATE TABLE judging.award (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL REFERENCES judging.judging_round(id),
        entry_id uuid NOT NULL,
        theme text NOT NULL CHECK (theme IN ${THEMES}),
        division_id uuid,
        venue_id uuid NOT NULL,
        tier text NOT NULL CHECK (tier IN ('GOLD','SILVER','BRONZE','HONOURABLE_MENTION')),
        position int NOT NULL DEFAULT 1,
        published_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One award per entry per scope (a theme, or a theme within one division).
    await queryRunner.query(`
      CREATE UNIQUE INDEX award_one_per_entry_per_scope
        ON judging.award (entry_id, theme, COALESCE(division_id, '00000000-0000-0000-0000-000000000000'::uuid))`);
    await queryRunner.query(`CREATE INDEX award_scope_idx ON judging.award (theme, division_id)`);
    await queryRunner.query(`CREATE INDEX award_entry_idx ON judging.award (entry_id)`);
    await queryRunner.query(`CREATE INDEX award_venue_idx ON judging.award (venue_id)`);
    // awards.published events for partners' webhooks, written with the publication itself.
    for (const statement of outboxTableSql("judging")) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE judging.outbox`);
    await queryRunner.query(`DROP TABLE judging.award`);
    await queryRunner.query(`DROP TABLE judging.score_event`);
    await queryRunner.query(`DROP FUNCTION judging.refuse_score_event_change()`);
    await queryRunner.query(`DROP TABLE judging.score`);
    await queryRunner.query(`DROP TABLE judging.assignment`);
    await queryRunner.query(`DROP TABLE judging.round_judge`);
    await queryRunner.query(`DROP TABLE judging.round_entry`);
    await queryRunner.query(`DROP TABLE judging.judging_round`);
    await queryRunner.query(`DROP TABLE judging.judge`);
  }
}
