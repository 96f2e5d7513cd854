import { MigrationInterface, QueryRunner } from "typeorm";
import { eventCursorSql, outboxFeedSql } from "../../lib/events/outbox";

/**
 * Events between subgraphs travel through pull feeds (outbox positions, cursors). Publishing waits for the entries
 * subgraph without holding a transaction open: PUBLISHING until the public grants are applied, and each work shows
 * only once the grant request that included it (grant_version) has been applied (exhibition.grants_applied).
 */
export class ExhibitionsEventFeeds1765000000000 implements MigrationInterface {
  name = "ExhibitionsEventFeeds1765000000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of [...outboxFeedSql("exhibitions").up, ...eventCursorSql("exhibitions").up]) await queryRunner.query(statement);
    await queryRunner.query(`CREATE SEQUENCE exhibitions.grant_version`);
    await queryRunner.query(`ALTER TABLE exhibitions.exhibition DROP CONSTRAINT exhibition_status_check`);
    await queryRunner.query(
      `ALTER TABLE exhibitions.exhibition ADD CONSTRAINT exhibition_status_check CHECK (status IN ('DRAFT','PUBLISHING','PUBLISHED','ARCHIVED'))`,
    );
    await queryRunner.query(
      `ALTER TABLE exhibitions.exhibition ADD COLUMN grants_requested bigint NOT NULL DEFAULT 0, ADD COLUMN grants_applied bigint NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`ALTER TABLE exhibitions.exhibited_work ADD COLUMN grant_version bigint NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE exhibitions.exhibited_work DROP COLUMN grant_version`);
    await queryRunner.query(`ALTER TABLE exhibitions.exhibition DROP COLUMN grants_requested, DROP COLUMN grants_applied`);
    await queryRunner.query(`UPDATE exhibitions.exhibition SET status = 'DRAFT' WHERE status = 'PUBLISHING'`);
    await queryRunner.query(`ALTER TABLE exhibitions.exhibition DROP CONSTRAINT exhibition_status_check`);
    await queryRunner.query(`ALTER TABLE exhibitions.exhibition ADD CONSTRAINT exhibition_status_check CHECK (status IN ('DRAFT','PUBLISHED','ARCHIVED'))`);
    await queryRunner.query(`DROP SEQUENCE exhibitions.grant_version`);
    for (const statement of [...eventCursorSql("exhibitions").down, ...outboxFeedSql("exhibitions").down]) await queryRunner.query(statement);
  }
}
