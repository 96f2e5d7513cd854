import { MigrationInterface, QueryRunner } from "typeorm";
import { outboxTableSql } from "../../lib/events/outbox";

/** The exhibitions outbox: exhibition.published events, written with the publication. */
export class ExhibitionsOutbox1764400000000 implements MigrationInterface {
  name = "ExhibitionsOutbox1764400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of outboxTableSql("exhibitions")) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE exhibitions.outbox`);
  }
}
