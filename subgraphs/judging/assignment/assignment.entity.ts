import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

export enum AssignmentStatus {
  ASSIGNED = "ASSIGNED",
  SCORED = "SCORED",
  RECUSED = "RECUSED",
}
registerEnumType(AssignmentStatus, {
  name: "AssignmentStatus",
  description: "Where an assignment stands.",
  valuesConfig: {
    ASSIGNED: { description: "Waiting for the judge's score or vote." },
    SCORED: { description: "The judge has scored or voted (and may change it while the round is open)." },
    RECUSED: { description: "The judge stepped aside, with a reason; the entry went to another judge when one was eligible." },
  },
});

export enum AssignmentOrigin {
  AUTOMATIC = "AUTOMATIC",
  MANUAL = "MANUAL",
  REASSIGNED = "REASSIGNED",
}
registerEnumType(AssignmentOrigin, {
  name: "AssignmentOrigin",
  description: "How an assignment came about.",
  valuesConfig: {
    AUTOMATIC: { description: "Made by assignJudges (balanced quorum)." },
    MANUAL: { description: "Added or moved to a named judge by an organiser." },
    REASSIGNED: { description: "Took over a recused entry or a judge's unscored work (least-loaded eligible judge)." },
  },
});

/** One judge asked to judge one entry in one round. */
@Entity({ name: "assignment" })
@ObjectType({ description: "An entry a judge must score or vote on in a round. Judges see their own; organisers all." })
export class Assignment {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "The assignment's id (for recuse and the organisers' adjustments)." })
  id!: string;

  @Column("uuid")
  roundId!: string;

  @Column("uuid")
  entryId!: string;

  @Column("uuid")
  judgeId!: string;

  @Column("text")
  @Field(() => AssignmentStatus, { description: "Whether the judge has scored, is still to score, or recused." })
  status!: AssignmentStatus;

  @Column("text")
  @Field(() => AssignmentOrigin, { description: "Whether the assignment was automatic, manual, or a reassignment." })
  origin!: AssignmentOrigin;

  @Column("text", { nullable: true })
  @Field(() => String, { nullable: true, description: "Why the judge recused, when RECUSED." })
  recusalReason!: string | null;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the judge recused; null otherwise." })
  recusedAt!: Date | null;

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the entry was assigned to the judge." })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;
}
