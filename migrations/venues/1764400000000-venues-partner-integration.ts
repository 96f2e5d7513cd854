import { MigrationInterface, QueryRunner } from "typeorm";

/** Secret rotation with a grace period, per-client rate limits, webhooks with their deliveries, and API usage. */
export class VenuesPartnerIntegration1764400000000 implements MigrationInterface {
  name = "VenuesPartnerIntegration1764400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE venues.api_client
        ADD COLUMN previous_secret_hash text,
        ADD COLUMN previous_secret_expires_at timestamptz,
        ADD COLUMN rate_limit_per_second int CHECK (rate_limit_per_second > 0),
        ADD COLUMN rate_limit_burst int CHECK (rate_limit_burst > 0)`);
    await queryRunner.query(`CREATE INDEX api_client_revoked_idx ON venues.api_client (revoked_at) WHERE revoked_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE venues.webhook (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES venues.organization(id),
        url text NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        description text,
        signing_secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        disabled_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX webhook_organization_idx ON venues.webhook (organization_id)`);
    await queryRunner.query(`
      CREATE TABLE venues.partner_event (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        organization_ids uuid[] NOT NULL DEFAULT '{}',
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await queryRunner.query(`
      CREATE TABLE venues.webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES venues.webhook(id) ON DELETE CASCADE,
        event_id uuid NOT NULL REFERENCES venues.partner_event(id),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','DELIVERED','FAILED')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        last_response_code int,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (webhook_id, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_due_idx ON venues.webhook_delivery (next_attempt_at) WHERE status = 'PENDING'`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_webhook_idx ON venues.webhook_delivery (webhook_id, created_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE TABLE venues.api_usage (
        client_id text NOT NULL,
        minute timestamptz NOT NULL,
        requests int NOT NULL DEFAULT 0,
        errors int NOT NULL DEFAULT 0,
        rate_limited int NOT NULL DEFAULT 0,
        PRIMARY KEY (client_id, minute)
      )`);
    await queryRunner.query(`CREATE INDEX api_usage_minute_idx ON venues.api_usage (minute)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE venues.api_usage`);
    await queryRunner.query(`DROP TABLE venues.webhook_delivery`);
    await queryRunner.query(`DROP TABLE venues.partner_event`);
    await queryRunner.query(`DROP TABLE venues.webhook`);
    await queryRunner.query(`DROP INDEX venues.api_client_revoked_idx`);
    await queryRunner.query(`
      ALTER TABLE venues.api_client
        DROP COLUMN previous_secret_hash, DROP COLUMN previous_secret_expires_at, DROP COLUMN rate_limit_per_second, DROP COLUMN rate_limit_burst`);
  }
}
