import { MigrationInterface, QueryRunner } from "typeorm";
import { eventCursorSql } from "../../lib/events/outbox";

/** The venues subgraph follows the other subgraphs' feeds for partner events (webhooks): one cursor per feed. */
export class VenuesEventFeeds1765000000000 implements MigrationInterface {
  name = "VenuesEventFeeds1765000000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of eventCursorSql("venues").up) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of eventCursorSql("venues").down) await queryRunner.query(statement);
  }
}
