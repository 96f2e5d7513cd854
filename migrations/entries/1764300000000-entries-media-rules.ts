import { MigrationInterface, QueryRunner } from "typeorm";

/** Media rules on the competition (sizes, pixels, duration), configurable per competition. */
export class EntriesMediaRules1764300000000 implements MigrationInterface {
  name = "EntriesMediaRules1764300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE entries.competition
        ADD COLUMN max_photo_bytes bigint NOT NULL DEFAULT 31457280,
        ADD COLUMN min_photo_long_side int NOT NULL DEFAULT 1600,
        ADD COLUMN max_photo_pixels bigint NOT NULL DEFAULT 100000000,
        ADD COLUMN max_video_bytes bigint NOT NULL DEFAULT 524288000`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE entries.competition
        DROP COLUMN max_photo_bytes, DROP COLUMN min_photo_long_side, DROP COLUMN max_photo_pixels, DROP COLUMN max_video_bytes`);
  }
}
