import { MigrationInterface, QueryRunner } from "typeorm";
import { outboxFeedSql, outboxTableSql } from "../../lib/events/outbox";

/** The venues outbox and its feed: api-client.revoked events, written with the revocation. */
export class VenuesOutbox1765200000000 implements MigrationInterface {
  name = "VenuesOutbox1765200000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // The same table the other producers have, built by the same steps they took.
    for (const statement of outboxTableSql("venues")) await queryRunner.query(statement);
    await queryRunner.query(`ALTER TABLE venues.outbox ADD COLUMN trace_context jsonb`);
    for (const statement of outboxFeedSql("venues").up) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE venues.outbox`);
  }
}
