import { Directive, Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

/**
 * A juror. Affiliations (organisations and venues) drive conflict-of-interest exclusion: a judge is
 * never assigned an entry that came through one of their venues or one of their organisations' venues.
 *
 * Seeding (demo data): insert with a fixed id so the demo judge's API client (venues.api_client.judge_id)
 * can point at it, e.g.
 *   INSERT INTO judging.judge (id, name, organization_ids, venue_ids)
 *   VALUES ('0d0d0d0d-0000-4000-8000-000000000001', 'Demo Judge', '{}', '{}') ON CONFLICT (id) DO NOTHING;
 * Rounds, assignments, scores and awards are best seeded through the API (or createJudgingContext's services
 * with an organiser / judge viewer), which snapshot entries, send entry grants and build the score log.
 * Seeding tables directly: round_entry and assignment rows are plain inserts, but every score needs its
 * score_event appended with appendScoreEvent (score-log.ts) under the round's row lock, and judges' and the
 * public's entry grants must be sent (syncRoundGrants / publishAwards do it from judging's own tables).
 */
@Entity({ name: "judge" })
@ObjectType({ description: "A member of the jury. Visible to organisers and to the judge themself; null for everyone else." })
@Directive('@key(fields: "id")')
export class Judge {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "The judge's id; a JUDGE token carries it as its judge claim." })
  id!: string;

  @Column("text")
  @Field({ description: "The judge's name as organisers know it." })
  name!: string;

  @Column("text", { nullable: true })
  email!: string | null;

  @Column("uuid", { array: true, default: () => "'{}'" })
  organizationIds!: string[];

  @Column("uuid", { array: true, default: () => "'{}'" })
  venueIds!: string[];

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the judge was created." })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;
}
