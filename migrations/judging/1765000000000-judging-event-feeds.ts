import { MigrationInterface, QueryRunner } from "typeorm";
import { eventCursorSql, outboxFeedSql } from "../../lib/events/outbox";

/**
 * Events between subgraphs travel through pull feeds (outbox positions, cursors). Awards wait for their entries
 * to become public without holding a transaction open: publish_requested_at marks PUBLISHING, published_at is set
 * once the grant request (publish_grant_version) is applied. Rounds remember their judges' grant requests.
 */
export class JudgingEventFeeds1765000000000 implements MigrationInterface {
  name = "JudgingEventFeeds1765000000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of [...outboxFeedSql("judging").up, ...eventCursorSql("judging").up]) await queryRunner.query(statement);
    await queryRunner.query(`CREATE SEQUENCE judging.grant_version`);
    await queryRunner.query(`ALTER TABLE judging.award ADD COLUMN publish_requested_at timestamptz, ADD COLUMN publish_grant_version bigint`);
    await queryRunner.query(`UPDATE judging.award SET publish_requested_at = published_at WHERE published_at IS NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE judging.judging_round ADD COLUMN grants_requested bigint NOT NULL DEFAULT 0, ADD COLUMN grants_applied bigint NOT NULL DEFAULT 0`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE judging.judging_round DROP COLUMN grants_requested, DROP COLUMN grants_applied`);
    await queryRunner.query(`ALTER TABLE judging.award DROP COLUMN publish_requested_at, DROP COLUMN publish_grant_version`);
    await queryRunner.query(`DROP SEQUENCE judging.grant_version`);
    for (const statement of [...eventCursorSql("judging").down, ...outboxFeedSql("judging").down]) await queryRunner.query(statement);
  }
}
