import { MigrationInterface, QueryRunner } from "typeorm";

/** The trace context (W3C traceparent) of the request that recorded an outbox event, so its dispatch joins that trace. */
export class EntriesOutboxTraceContext1764900000000 implements MigrationInterface {
  name = "EntriesOutboxTraceContext1764900000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE entries.outbox ADD COLUMN trace_context jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE entries.outbox DROP COLUMN trace_context`);
  }
}
