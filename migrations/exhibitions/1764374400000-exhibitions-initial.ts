import { MigrationInterface, QueryRunner } from "typeorm";

/** Exhibitions, their host venues, sections, exhibited works, likes and visitor rate windows (schema "exhibitions"). */
export class ExhibitionsInitial1764374400000 implements MigrationInterface {
  name = "ExhibitionsInitial1764374400000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // created_at has millisecond precision so a JavaScript Date in a keyset cursor matches the stored value exactly.
    await queryRunner.query(`
      CREATE TABLE exhibitions.exhibition (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) BETWEEN 3 AND 100),
        organization_id uuid,
        kind text NOT NULL CHECK (kind IN ('ONLINE','ONSITE')),
        status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT','PUBLISHED','ARCHIVED')),
        default_locale text NOT NULL,
        title_text jsonb NOT NULL CHECK (jsonb_typeof(title_text) = 'object'),
        description_text jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(description_text) = 'object'),
        opens_at timestamptz,
        closes_at timestamptz,
        published_at timestamptz,
        archived_at timestamptz,
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT exhibition_slug_unique UNIQUE (slug),
        CHECK (title_text ? default_locale),
        CHECK (opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at)
      )`);
    await queryRunner.query(`CREATE INDEX exhibition_status_created_idx ON exhibitions.exhibition (status, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX exhibition_organization_idx ON exhibitions.exhibition (organization_id)`);
    await queryRunner.query(`
      CREATE TABLE exhibitions.exhibition_host_venue (
        exhibition_id uuid NOT NULL REFERENCES exhibitions.exhibition(id) ON DELETE CASCADE,
        venue_id uuid NOT NULL,
        position int NOT NULL CHECK (position >= 1),
        PRIMARY KEY (exhibition_id, venue_id)
      )`);
    await queryRunner.query(`CREATE INDEX exhibition_host_venue_venue_idx ON exhibitions.exhibition_host_venue (venue_id)`);
    // Positions are unique per exhibition but checked at commit, so a reorder can move rows through each other's places.
    await queryRunner.query(`
      CREATE TABLE exhibitions.exhibition_section (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        exhibition_id uuid NOT NULL REFERENCES exhibitions.exhibition(id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 1),
        title_text jsonb NOT NULL CHECK (jsonb_typeof(title_text) = 'object'),
        description_text jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(description_text) = 'object'),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        CONSTRAINT exhibition_section_exhibition_id_unique UNIQUE (exhibition_id, id),
        CONSTRAINT exhibition_section_position_unique UNIQUE (exhibition_id, position) DEFERRABLE INITIALLY DEFERRED
      )`);
    // A removed work keeps its row (audit) but loses its position, so it leaves the order and the unique constraint.
    await queryRunner.query(`
      CREATE TABLE exhibitions.exhibited_work (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        exhibition_id uuid NOT NULL REFERENCES exhibitions.exhibition(id) ON DELETE CASCADE,
        section_id uuid,
        entry_id uuid NOT NULL,
        position int CHECK (position >= 1),
        caption_text jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(caption_text) = 'object'),
        like_count int NOT NULL DEFAULT 0 CHECK (like_count >= 0),
        view_count int NOT NULL DEFAULT 0 CHECK (view_count >= 0),
        added_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        removed_at timestamptz,
        removal_reason text CHECK (removal_reason IN ('CURATOR','ENTRY_LEFT_COMPETITION')),
        CONSTRAINT exhibited_work_section_fk FOREIGN KEY (exhibition_id, section_id) REFERENCES exhibitions.exhibition_section (exhibition_id, id),
        CONSTRAINT exhibited_work_position_unique UNIQUE (exhibition_id, position) DEFERRABLE INITIALLY DEFERRED,
        CHECK ((removed_at IS NULL) = (position IS NOT NULL)),
        CHECK ((removed_at IS NULL) = (removal_reason IS NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX exhibited_work_entry_unique ON exhibitions.exhibited_work (exhibition_id, entry_id) WHERE removed_at IS NULL`);
    await queryRunner.query(`CREATE INDEX exhibited_work_entry_idx ON exhibitions.exhibited_work (entry_id) WHERE removed_at IS NULL`);
    await queryRunner.query(`CREATE INDEX exhibited_work_section_idx ON exhibitions.exhibited_work (section_id, position) WHERE removed_at IS NULL`);
    // One row per visitor per work: the primary key is what makes a repeated like a no-op.
    await queryRunner.query(`
      CREATE TABLE exhibitions.work_like (
        work_id uuid NOT NULL REFERENCES exhibitions.exhibited_work(id) ON DELETE CASCADE,
        visitor_id text NOT NULL CHECK (length(visitor_id) BETWEEN 8 AND 128),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (work_id, visitor_id)
      )`);
    // Fixed hourly windows per client (a hash of its IP address) and action; rows older than a day are purged.
    await queryRunner.query(`
      CREATE TABLE exhibitions.visitor_rate_window (
        action text NOT NULL CHECK (action IN ('LIKE','VIEW')),
        client_key text NOT NULL,
        window_start timestamptz NOT NULL,
        attempts int NOT NULL CHECK (attempts >= 1),
        PRIMARY KEY (action, client_key, window_start)
      )`);
    await queryRunner.query(`CREATE INDEX visitor_rate_window_start_idx ON exhibitions.visitor_rate_window (window_start)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["visitor_rate_window", "work_like", "exhibited_work", "exhibition_section", "exhibition_host_venue", "exhibition"]) {
      await queryRunner.query(`DROP TABLE exhibitions.${table}`);
    }
  }
}
