import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * completeMediaUpload's content checks run as a job that outlives the request: an upload moves OPEN → CHECKING (held
 * by a lease that a live process renews, so another replica takes over a dead one's job) → ATTACHED or REJECTED
 * (with a coded failure), and a finished upload stays readable until it expires.
 */
export class EntriesMediaUploadChecks1765100000000 implements MigrationInterface {
  name = "EntriesMediaUploadChecks1765100000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE entries.media_upload DROP CONSTRAINT media_upload_status_check`);
    await queryRunner.query(`UPDATE entries.media_upload SET status = 'CHECKING' WHERE status = 'COMPLETING'`);
    await queryRunner.query(
      `ALTER TABLE entries.media_upload
         ADD CONSTRAINT media_upload_status_check CHECK (status IN ('OPEN', 'CHECKING', 'ATTACHED', 'REJECTED')),
         ADD COLUMN lease_id uuid,
         ADD COLUMN lease_expires_at timestamptz,
         ADD COLUMN attempts integer NOT NULL DEFAULT 0,
         ADD COLUMN failure jsonb,
         ADD COLUMN finished_at timestamptz`,
    );
    // A COMPLETING row of the old code had no lease: due at once.
    await queryRunner.query(`UPDATE entries.media_upload SET lease_expires_at = now() WHERE status = 'CHECKING'`);
    await queryRunner.query(`CREATE INDEX media_upload_checks_due ON entries.media_upload (lease_expires_at) WHERE status = 'CHECKING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX entries.media_upload_checks_due`);
    await queryRunner.query(`ALTER TABLE entries.media_upload DROP CONSTRAINT media_upload_status_check`);
    // Finished uploads were deleted at once before; a check in progress was COMPLETING.
    await queryRunner.query(`DELETE FROM entries.media_upload WHERE status IN ('ATTACHED', 'REJECTED')`);
    await queryRunner.query(`UPDATE entries.media_upload SET status = 'COMPLETING' WHERE status = 'CHECKING'`);
    await queryRunner.query(
      `ALTER TABLE entries.media_upload
         DROP COLUMN lease_id, DROP COLUMN lease_expires_at, DROP COLUMN attempts, DROP COLUMN failure, DROP COLUMN finished_at,
         ADD CONSTRAINT media_upload_status_check CHECK (status IN ('OPEN', 'COMPLETING'))`,
    );
  }
}
