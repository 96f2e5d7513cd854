import { MigrationInterface, QueryRunner } from "typeorm";

/** Registered operations (trusted documents) per API client, the registered-only setting, deprecated-field usage. */
export class VenuesRegisteredOperations1764700000000 implements MigrationInterface {
  name = "VenuesRegisteredOperations1764700000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // null: the default for the client's role (REGISTERED_OPERATIONS_ONLY_ROLES).
    await queryRunner.query(`ALTER TABLE venues.api_client ADD COLUMN registered_operations_only boolean`);
    await queryRunner.query(`
      CREATE TABLE venues.registered_operation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        api_client_id uuid REFERENCES venues.api_client(id),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        document text NOT NULL,
        operation_names text[] NOT NULL,
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    // A null client is the public safelist; the unique index treats it as one owner.
    await queryRunner.query(`
      CREATE UNIQUE INDEX registered_operation_owner_hash_idx
        ON venues.registered_operation ((coalesce(api_client_id, '00000000-0000-0000-0000-000000000000'::uuid)), hash)`);
    await queryRunner.query(`CREATE INDEX registered_operation_page_idx ON venues.registered_operation (api_client_id, registered_at DESC, id DESC)`);
    // Bumped in the same transaction as every change gateways must learn; they poll it and reload only on change.
    await queryRunner.query(`
      CREATE TABLE venues.registered_operation_revision (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        revision bigint NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO venues.registered_operation_revision (revision) VALUES (0)`);
    await queryRunner.query(`
      CREATE TABLE venues.deprecated_field_usage (
        client_id text NOT NULL,
        day date NOT NULL,
        coordinate text NOT NULL,
        requests int NOT NULL DEFAULT 0,
        last_seen_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, day, coordinate)
      )`);
    await queryRunner.query(`CREATE INDEX deprecated_field_usage_day_idx ON venues.deprecated_field_usage (day)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE venues.deprecated_field_usage`);
    await queryRunner.query(`DROP TABLE venues.registered_operation_revision`);
    await queryRunner.query(`DROP TABLE venues.registered_operation`);
    await queryRunner.query(`ALTER TABLE venues.api_client DROP COLUMN registered_operations_only`);
  }
}
