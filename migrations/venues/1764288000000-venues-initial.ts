import { MigrationInterface, QueryRunner } from "typeorm";

/** Organisations, divisions, venues and API clients (schema "venues"). */
export class VenuesInitial1764288000000 implements MigrationInterface {
  name = "VenuesInitial1764288000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE venues.organization (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('ORGANIZER','MEDIA_AGENCY','UNIVERSITY','ASSOCIATION','CULTURAL_INSTITUTION','COMPANY')),
        country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        website text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE venues.division (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        country char(2) CHECK (country ~ '^[A-Z]{2}$'),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await queryRunner.query(`
      CREATE TABLE venues.venue (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('BRANCH_VENUE','STATION')),
        region text NOT NULL CHECK (region IN ('DOMESTIC','OVERSEAS')),
        country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        city text,
        organization_id uuid NOT NULL REFERENCES venues.organization(id),
        division_id uuid REFERENCES venues.division(id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX venue_organization_idx ON venues.venue (organization_id)`);
    await queryRunner.query(`CREATE INDEX venue_division_idx ON venues.venue (division_id)`);
    await queryRunner.query(`CREATE INDEX venue_country_idx ON venues.venue (country)`);
    await queryRunner.query(`
      CREATE TABLE venues.api_client (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id text NOT NULL UNIQUE,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('ORGANIZER','PARTNER','VENUE','JUDGE')),
        organization_id uuid REFERENCES venues.organization(id),
        venue_id uuid REFERENCES venues.venue(id),
        judge_id uuid,
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        revoked_at timestamptz,
        last_used_at timestamptz,
        CHECK (
          (role = 'ORGANIZER') OR
          (role = 'PARTNER' AND organization_id IS NOT NULL) OR
          (role = 'VENUE' AND venue_id IS NOT NULL AND organization_id IS NOT NULL) OR
          (role = 'JUDGE' AND judge_id IS NOT NULL)
        )
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE venues.api_client`);
    await queryRunner.query(`DROP TABLE venues.venue`);
    await queryRunner.query(`DROP TABLE venues.division`);
    await queryRunner.query(`DROP TABLE venues.organization`);
  }
}
