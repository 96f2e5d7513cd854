import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Resumable uploads: one row per opened upload, with the parts that arrived (number → etag, bytes), so a
 * client can ask what is missing and the upload completes without the object store listing parts.
 */
export class EntriesMediaUploads1764650000000 implements MigrationInterface {
  name = "EntriesMediaUploads1764650000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE entries.media_upload (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        entry_id uuid NOT NULL,
        object_key text NOT NULL UNIQUE,
        storage_upload_id text NOT NULL,
        content_type text NOT NULL,
        byte_size bigint NOT NULL CHECK (byte_size > 0),
        part_bytes integer NOT NULL CHECK (part_bytes > 0),
        parts jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'COMPLETING')),
        created_by text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One upload in progress per entry: starting another replaces it.
    await queryRunner.query(`CREATE UNIQUE INDEX media_upload_one_open_per_entry ON entries.media_upload (entry_id) WHERE status = 'OPEN'`);
    await queryRunner.query(`CREATE INDEX media_upload_expires_at ON entries.media_upload (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE entries.media_upload`);
  }
}
