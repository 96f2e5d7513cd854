import { MigrationInterface, QueryRunner } from "typeorm";

/** Competition, themes, entrants, entries, media and visibility grants (schema "entries"). */
export class EntriesInitial1764288000000 implements MigrationInterface {
  name = "EntriesInitial1764288000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE entries.competition (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        submission_opens_at timestamptz NOT NULL,
        submission_closes_at timestamptz NOT NULL,
        min_photos_per_set int NOT NULL DEFAULT 2,
        max_photos_per_set int NOT NULL DEFAULT 10,
        max_entries_per_entrant_per_theme int NOT NULL DEFAULT 4,
        max_video_seconds int NOT NULL DEFAULT 180,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        CHECK (submission_opens_at < submission_closes_at),
        CHECK (min_photos_per_set >= 1 AND min_photos_per_set <= max_photos_per_set)
      )`);
    await queryRunner.query(`
      CREATE TABLE entries.theme (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        competition_id uuid NOT NULL REFERENCES entries.competition(id),
        code text NOT NULL CHECK (code IN ('NATURE','FOLK_CULTURE','TECHNOLOGY','EXCHANGES','OVERSEAS')),
        name_text jsonb NOT NULL,
        description_text jsonb NOT NULL DEFAULT '{}',
        position int NOT NULL,
        UNIQUE (competition_id, code)
      )`);
    await queryRunner.query(`
      CREATE TABLE entries.entrant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        competition_id uuid NOT NULL REFERENCES entries.competition(id),
        name text NOT NULL,
        email text NOT NULL,
        country char(2) NOT NULL,
        phone text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (competition_id, email)
      )`);
    await queryRunner.query(`
      CREATE TABLE entries.entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        competition_id uuid NOT NULL REFERENCES entries.competition(id),
        venue_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        entrant_id uuid NOT NULL REFERENCES entries.entrant(id),
        theme_code text NOT NULL CHECK (theme_code IN ('NATURE','FOLK_CULTURE','TECHNOLOGY','EXCHANGES','OVERSEAS')),
        kind text NOT NULL CHECK (kind IN ('PHOTO_SET','SINGLE_PHOTO','MICRO_VIDEO')),
        status text NOT NULL CHECK (status IN ('DRAFT','SUBMITTED','WITHDRAWN','DISQUALIFIED')),
        title text NOT NULL,
        description text,
        credit_name text,
        country char(2) NOT NULL,
        consent_to_publication boolean NOT NULL,
        consent_to_rules boolean NOT NULL,
        declares_no_generative_ai boolean NOT NULL,
        idempotency_key text,
        submitted_at timestamptz,
        withdrawn_at timestamptz,
        disqualified_at timestamptz,
        disqualification_reason text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT entry_idempotency_key_unique UNIQUE (venue_id, idempotency_key)
      )`);
    await queryRunner.query(`CREATE INDEX entry_venue_created_idx ON entries.entry (venue_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX entry_organization_created_idx ON entries.entry (organization_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX entry_created_idx ON entries.entry (created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX entry_entrant_theme_idx ON entries.entry (entrant_id, theme_code)`);
    await queryRunner.query(`
      CREATE TABLE entries.photo (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        entry_id uuid NOT NULL REFERENCES entries.entry(id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 1),
        width int NOT NULL CHECK (width > 0),
        height int NOT NULL CHECK (height > 0),
        content_type text NOT NULL,
        byte_size bigint NOT NULL,
        sha256 text NOT NULL,
        original_key text NOT NULL,
        display_key text NOT NULL,
        thumbnail_key text NOT NULL,
        exif jsonb,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (entry_id, position)
      )`);
    await queryRunner.query(`CREATE INDEX photo_sha256_idx ON entries.photo (sha256)`);
    await queryRunner.query(`
      CREATE TABLE entries.micro_video (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        entry_id uuid NOT NULL UNIQUE REFERENCES entries.entry(id) ON DELETE CASCADE,
        duration_seconds double precision NOT NULL CHECK (duration_seconds > 0),
        width int NOT NULL CHECK (width > 0),
        height int NOT NULL CHECK (height > 0),
        content_type text NOT NULL,
        byte_size bigint NOT NULL,
        sha256 text NOT NULL,
        video_key text NOT NULL,
        poster_key text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await queryRunner.query(`CREATE INDEX micro_video_sha256_idx ON entries.micro_video (sha256)`);
    await queryRunner.query(`
      CREATE TABLE entries.entry_grant (
        entry_id uuid NOT NULL REFERENCES entries.entry(id) ON DELETE CASCADE,
        audience text NOT NULL CHECK (audience = 'public' OR audience ~ '^judge:[0-9a-f-]{36}$'),
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (entry_id, audience, source)
      )`);
    await queryRunner.query(`CREATE INDEX entry_grant_audience_idx ON entries.entry_grant (audience, entry_id)`);
    await queryRunner.query(`CREATE INDEX entry_grant_source_idx ON entries.entry_grant (source, audience)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["entry_grant", "micro_video", "photo", "entry", "entrant", "theme", "competition"]) {
      await queryRunner.query(`DROP TABLE entries.${table}`);
    }
  }
}
