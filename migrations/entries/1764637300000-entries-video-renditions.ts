import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Streaming renditions of micro-videos, made by a background job: the video's status, the rendition files, and
 * the durable job queue (one row per video still to transcode, leased with FOR UPDATE SKIP LOCKED so two
 * replicas never run the same job and a killed process's job is picked up again when its lease runs out).
 * Videos stored before this migration get a job, so they gain renditions too.
 */
export class EntriesVideoRenditions1764637300000 implements MigrationInterface {
  name = "EntriesVideoRenditions1764637300000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE entries.micro_video
        ADD COLUMN status text NOT NULL DEFAULT 'PROCESSING' CHECK (status IN ('PROCESSING', 'READY', 'FAILED')),
        ADD COLUMN failure_reason text`);
    await queryRunner.query(`
      CREATE TABLE entries.video_rendition (
        video_id uuid NOT NULL REFERENCES entries.micro_video(id) ON DELETE CASCADE,
        rendition text NOT NULL CHECK (rendition IN ('STREAM', 'STREAM_1080P')),
        key text NOT NULL,
        width int NOT NULL CHECK (width > 0),
        height int NOT NULL CHECK (height > 0),
        byte_size bigint NOT NULL CHECK (byte_size > 0),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (video_id, rendition)
      )`);
    await queryRunner.query(`
      CREATE TABLE entries.video_rendition_job (
        video_id uuid PRIMARY KEY REFERENCES entries.micro_video(id) ON DELETE CASCADE,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_id uuid,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX video_rendition_job_due_idx ON entries.video_rendition_job (next_attempt_at)`);
    await queryRunner.query(`INSERT INTO entries.video_rendition_job (video_id) SELECT id FROM entries.micro_video`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Rendition files stay in storage; with no row referring to them, the orphan sweeper removes them.
    await queryRunner.query(`DROP TABLE entries.video_rendition_job`);
    await queryRunner.query(`DROP TABLE entries.video_rendition`);
    await queryRunner.query(`ALTER TABLE entries.micro_video DROP COLUMN failure_reason, DROP COLUMN status`);
  }
}
