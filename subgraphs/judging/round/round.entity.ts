import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { ThemeCode } from "../../../lib/themes";

export enum RoundKind {
  SHORTLIST = "SHORTLIST",
  SCORE = "SCORE",
}
registerEnumType(RoundKind, {
  name: "RoundKind",
  description: "What judges do in a round.",
  valuesConfig: {
    SHORTLIST: { description: "Each judge votes pass or fail; an entry passes with at least passVotes yes votes." },
    SCORE: { description: "Judges score on the round's scale, per weighted criterion." },
  },
});

export enum RoundStatus {
  DRAFT = "DRAFT",
  OPEN = "OPEN",
  CLOSED = "CLOSED",
}
registerEnumType(RoundStatus, {
  name: "RoundStatus",
  description: "Where a round stands.",
  valuesConfig: {
    DRAFT: { description: "Being set up and assigned; invisible to judges." },
    OPEN: { description: "Judges see their assigned entries (blind) and score or vote." },
    CLOSED: { description: "Scores are final; the leaderboard and awards can be read from it." },
  },
});

/** A numeric transformer: Postgres numeric comes back as a string. */
export const numeric = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** A weighted criterion of a SCORE round, stored in judging_round.criteria. */
@ObjectType({ description: "A criterion judges score separately in a SCORE round; the entry's score is the weighted mean of its criteria." })
export class RoundCriterion {
  @Field({ description: 'Stable code used in SubmitScoreInput.criteria, e.g. "impact".' })
  code!: string;

  @Field({ description: 'What judges see, e.g. "Impact".' })
  name!: string;

  @Field(() => Float, { description: "Relative weight (> 0); weights need not sum to 1." })
  weight!: number;
}

@ObjectType({ description: "The scale of a SCORE round: every criterion value is min, min + step, … up to max." })
export class ScoreScale {
  @Field(() => Float, { description: "The lowest value a criterion can get." })
  min!: number;

  @Field(() => Float, { description: "The highest value a criterion can get." })
  max!: number;

  @Field(() => Float, { description: "Allowed increment, e.g. 0.5 for half points." })
  step!: number;
}

/**
 * A judging round. Seeding: create rounds through RoundService/AssignmentService (or the API) so that
 * the round's entries are snapshotted from the entries subgraph and judges receive their entry grants.
 */
@Entity({ name: "judging_round" })
@ObjectType({
  description:
    "A judging round over a theme and/or a division (or everything). Visible to organisers, and to judges with assignments in it once it is open; null for others.",
})
@Directive('@key(fields: "id")')
export class JudgingRound {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "The round's id." })
  id!: string;

  @Column("text")
  @Field({ description: 'E.g. "Nature – shortlist".' })
  name!: string;

  @Column("text")
  @Field(() => RoundKind, { description: "SHORTLIST (pass/fail votes) or SCORE (scale and criteria)." })
  kind!: RoundKind;

  @Column("text")
  @Field(() => RoundStatus, { description: "DRAFT, OPEN or CLOSED." })
  status!: RoundStatus;

  @Column("text", { nullable: true })
  @Field(() => ThemeCode, { nullable: true, description: "The theme the round covers; null for all themes." })
  theme!: ThemeCode | null;

  @Column("uuid", { nullable: true })
  divisionId!: string | null;

  @Column("uuid", { nullable: true })
  previousRoundId!: string | null;

  @Column("int")
  quorum!: number;

  @Column("int", { nullable: true })
  @Field(() => Int, { nullable: true, description: "SHORTLIST rounds: yes votes an entry needs to pass; null for SCORE rounds." })
  passVotes!: number | null;

  @Column("numeric", { nullable: true, transformer: numeric })
  scaleMin!: number | null;

  @Column("numeric", { nullable: true, transformer: numeric })
  scaleMax!: number | null;

  @Column("numeric", { nullable: true, transformer: numeric })
  scaleStep!: number | null;

  @Column("jsonb")
  criteria!: RoundCriterion[];

  @Column("numeric", { transformer: numeric })
  acceptanceCapPercent!: number;

  @Column("text", { nullable: true })
  assignmentSeed!: string | null;

  @Column("timestamptz", { nullable: true })
  entriesLoadedAt!: Date | null;

  @Column("int")
  logLength!: number;

  @Column("text", { nullable: true })
  logHeadHash!: string | null;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the round was opened to judges." })
  openedAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the round was closed; scores are final from then on." })
  closedAt!: Date | null;

  @Column("int", { nullable: true })
  closedWithUnscored!: number | null;

  /** The last request for the judges' grants (judging-grants.ts), and the last the entries subgraph applied. */
  @Column({ type: "bigint", default: 0, update: false })
  grantsRequested!: string;

  @Column({ type: "bigint", default: 0, update: false })
  grantsApplied!: string;

  @Field({
    description:
      "True while a change of assignments has not yet reached the entries service (usually under a second): a judge may not see a newly assigned entry until then.",
  })
  get grantsPending(): boolean {
    return Number(this.grantsApplied) < Number(this.grantsRequested);
  }

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the round was created." })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;
}

/** The entries a round covers, snapshotted from the entries and venues subgraphs when judges are assigned. */
@Entity({ name: "round_entry" })
export class RoundEntry {
  @PrimaryColumn("uuid")
  roundId!: string;

  @PrimaryColumn("uuid")
  entryId!: string;

  @Column("text")
  theme!: ThemeCode;

  @Column("text")
  kind!: string;

  @Column("uuid")
  venueId!: string;

  @Column("uuid")
  organizationId!: string;

  @Column("uuid", { nullable: true })
  divisionId!: string | null;
}

/** The judges a round draws on (for automatic assignment, recusal and reassignment). */
@Entity({ name: "round_judge" })
export class RoundJudge {
  @PrimaryColumn("uuid")
  roundId!: string;

  @PrimaryColumn("uuid")
  judgeId!: string;
}
