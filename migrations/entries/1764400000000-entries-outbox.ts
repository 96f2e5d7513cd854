import { MigrationInterface, QueryRunner } from "typeorm";
import { outboxTableSql } from "../../lib/events/outbox";

/** The entries outbox: events written with the change that causes them (submitted, withdrawn, disqualified). */
export class EntriesOutbox1764400000000 implements MigrationInterface {
  name = "EntriesOutbox1764400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of outboxTableSql("entries")) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE entries.outbox`);
  }
}
