import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Personal data belongs to the tenant that entered it: an entrant record per organisation and e-mail instead of
 * one per e-mail shared by every organisation. An entrant used by several organisations is split: each other
 * organisation gets its own copy (what was stored last, which is all there is) and its entries point at it.
 * Organisers record how they resolved an e-mail entered by several organisations in entrant_collision.
 */
export class EntriesEntrantPerTenant1764700000000 implements MigrationInterface {
  name = "EntriesEntrantPerTenant1764700000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE entries.entrant ADD COLUMN organization_id uuid`);
    // The copies below share their e-mail with the original, so the one-per-e-mail rule goes first.
    await queryRunner.query(`ALTER TABLE entries.entrant DROP CONSTRAINT entrant_competition_id_email_key`);
    // The organisation of the oldest entry keeps the existing row.
    await queryRunner.query(`
      UPDATE entries.entrant entrant SET organization_id = first_entry.organization_id
        FROM (SELECT DISTINCT ON (entrant_id) entrant_id, organization_id FROM entries.entry ORDER BY entrant_id, created_at, id) first_entry
       WHERE first_entry.entrant_id = entrant.id`);
    // Every other organisation that used the row gets a copy, and its entries move to it.
    await queryRunner.query(`
      CREATE TEMPORARY TABLE entrant_split ON COMMIT DROP AS
      SELECT DISTINCT entry.entrant_id AS old_id, entry.organization_id, gen_random_uuid() AS new_id
        FROM entries.entry entry JOIN entries.entrant entrant ON entrant.id = entry.entrant_id
       WHERE entry.organization_id <> entrant.organization_id`);
    await queryRunner.query(`
      INSERT INTO entries.entrant (id, competition_id, organization_id, name, email, country, phone, created_at)
      SELECT split.new_id, entrant.competition_id, split.organization_id, entrant.name, entrant.email, entrant.country, entrant.phone, entrant.created_at
        FROM entrant_split split JOIN entries.entrant entrant ON entrant.id = split.old_id`);
    await queryRunner.query(`
      UPDATE entries.entry entry SET entrant_id = split.new_id
        FROM entrant_split split WHERE entry.entrant_id = split.old_id AND entry.organization_id = split.organization_id`);
    await queryRunner.query(`DROP TABLE entrant_split`);
    // An entrant without any entry belongs to nobody and can be reached by nobody.
    await queryRunner.query(`DELETE FROM entries.entrant WHERE organization_id IS NULL`);
    await queryRunner.query(`ALTER TABLE entries.entrant ALTER COLUMN organization_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE entries.entrant ADD CONSTRAINT entrant_tenant_email_unique UNIQUE (competition_id, organization_id, email)`);
    // The per-theme cap and the collision list look entrants up by e-mail across organisations.
    await queryRunner.query(`CREATE INDEX entrant_competition_email_idx ON entries.entrant (competition_id, email)`);
    await queryRunner.query(`
      CREATE TABLE entries.entrant_collision (
        competition_id uuid NOT NULL REFERENCES entries.competition(id),
        email text NOT NULL,
        resolution text NOT NULL CHECK (resolution IN ('SAME_PERSON', 'DIFFERENT_PEOPLE')),
        -- The organisations the resolution was made for; another one entering the address reopens it.
        organization_ids uuid[] NOT NULL,
        note text,
        resolved_by text NOT NULL,
        resolved_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (competition_id, email)
      )`);
  }

  /** Back to one entrant per e-mail: the record whose entry came first is kept (as `up` chose it) and the other organisations' copies are dropped. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE entries.entrant_collision`);
    await queryRunner.query(`
      CREATE TEMPORARY TABLE entrant_merge ON COMMIT DROP AS
      SELECT entrant.id AS old_id, kept.id AS kept_id
        FROM entries.entrant entrant
        JOIN LATERAL (SELECT other.id FROM entries.entrant other
                        LEFT JOIN LATERAL (SELECT min(entry.created_at) AS first_at FROM entries.entry entry WHERE entry.entrant_id = other.id) used ON true
                       WHERE other.competition_id = entrant.competition_id AND other.email = entrant.email
                       ORDER BY used.first_at NULLS LAST, other.created_at, other.id LIMIT 1) kept ON true
       WHERE kept.id <> entrant.id`);
    await queryRunner.query(`UPDATE entries.entry entry SET entrant_id = merge.kept_id FROM entrant_merge merge WHERE entry.entrant_id = merge.old_id`);
    await queryRunner.query(`DELETE FROM entries.entrant entrant USING entrant_merge merge WHERE entrant.id = merge.old_id`);
    await queryRunner.query(`DROP TABLE entrant_merge`);
    await queryRunner.query(`DROP INDEX entries.entrant_competition_email_idx`);
    await queryRunner.query(`ALTER TABLE entries.entrant DROP CONSTRAINT entrant_tenant_email_unique`);
    await queryRunner.query(`ALTER TABLE entries.entrant ADD CONSTRAINT entrant_competition_id_email_key UNIQUE (competition_id, email)`);
    await queryRunner.query(`ALTER TABLE entries.entrant DROP COLUMN organization_id`);
  }
}
