import { MigrationInterface, QueryRunner } from "typeorm";
import { eventCursorSql, outboxFeedSql } from "../../lib/events/outbox";

/**
 * Events between subgraphs travel through pull feeds: the outbox gets feed positions (and loses the push
 * dispatcher's columns), the subgraph keeps a cursor per feed it follows, and each grant source remembers the
 * last request version it applied, so an older request can never undo a newer one.
 */
export class EntriesEventFeeds1765000000000 implements MigrationInterface {
  name = "EntriesEventFeeds1765000000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of [...outboxFeedSql("entries").up, ...eventCursorSql("entries").up]) await queryRunner.query(statement);
    await queryRunner.query(
      `CREATE TABLE entries.entry_grant_source (source text PRIMARY KEY, version bigint NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE entries.entry_grant_source`);
    for (const statement of [...eventCursorSql("entries").down, ...outboxFeedSql("entries").down]) await queryRunner.query(statement);
  }
}
