import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { numeric } from "../round/round.entity";

@ObjectType({ description: "A judge's value for one criterion of a SCORE round." })
export class CriterionScore {
  @Field({ description: "The criterion's code (see JudgingRound.criteria)." })
  code!: string;

  @Field(() => Float, { description: "On the round's scale and step." })
  value!: number;
}

/** Stored as { code: value }. */
export type CriteriaValues = Record<string, number>;

/** A judge's current score or vote for an assignment; every change is also appended to the score log. */
@Entity({ name: "score" })
@ObjectType({ description: "A judge's current score (SCORE rounds) or vote (SHORTLIST rounds). Organisers see all; a judge only their own; nobody else." })
export class Score {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "The score's id; it stays the same when the judge changes the score." })
  id!: string;

  @Column("uuid")
  assignmentId!: string;

  @Column("uuid")
  roundId!: string;

  @Column("uuid")
  judgeId!: string;

  @Column("uuid")
  entryId!: string;

  @Column("numeric", { nullable: true, transformer: numeric })
  @Field(() => Float, {
    nullable: true,
    description: "SCORE rounds: the weighted mean of the criteria, on the round's scale (3 decimals); null in SHORTLIST rounds.",
  })
  value!: number | null;

  @Column("boolean", { nullable: true })
  @Field(() => Boolean, { nullable: true, description: "SHORTLIST rounds: true for a yes (pass) vote; null in SCORE rounds." })
  pass!: boolean | null;

  @Column("jsonb")
  criteria!: CriteriaValues;

  @Column("int")
  @Field(() => Int, { description: "How many times this score was set (1 for the first score)." })
  version!: number;

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the judge first scored." })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the score was last changed." })
  updatedAt!: Date;
}

export enum ScoreEventKind {
  SCORED = "SCORED",
  WITHDRAWN = "WITHDRAWN",
}
registerEnumType(ScoreEventKind, {
  name: "ScoreEventKind",
  description: "What a score-log record says happened.",
  valuesConfig: {
    SCORED: { description: "A score or vote was set or changed (value, pass and criteria as set)." },
    WITHDRAWN: { description: "The judge recused and their score no longer counts." },
  },
});

/** One record of a round's append-only, hash-chained score log. */
@Entity({ name: "score_event" })
@ObjectType({
  description: [
    "One change in a round's score log (organisers only). Each record carries the hash of the one before; every hashed field is a field here.",
    'hash = SHA-256 (lower-case hex) of the UTF-8 JSON text, without spaces, of ["score-event/v1", roundId, sequence, assignmentId, judge.id, entry.id, kind, value, pass, criteria, actor, recordedAt, previousHash]: value as a string with exactly 3 decimals (e.g. "7.500") or null, pass true/false/null, criteria as [[code, "x.xxx"], …] sorted by code ([] when none), recordedAt as ISO 8601 UTC with milliseconds (e.g. "2026-12-02T01:15:27.123Z"). Worked example in docs/organiser.md.',
  ].join("\n\n"),
})
export class ScoreEvent {
  @PrimaryColumn("uuid")
  @Field(() => ID, { description: "The round whose log this is (hashed)." })
  roundId!: string;

  @PrimaryColumn("int")
  @Field(() => Int, { description: "Position in the round's log, from 1." })
  sequence!: number;

  @Column("uuid")
  @Field(() => ID, { description: "The assignment (judge × entry) the record is about (hashed)." })
  assignmentId!: string;

  @Column("uuid")
  judgeId!: string;

  @Column("uuid")
  entryId!: string;

  @Column("text")
  @Field(() => ScoreEventKind, { description: "SCORED or WITHDRAWN." })
  kind!: ScoreEventKind;

  @Column("numeric", { nullable: true, transformer: numeric })
  @Field(() => Float, { nullable: true, description: "The score recorded (SCORE rounds); null for votes and withdrawals." })
  value!: number | null;

  @Column("boolean", { nullable: true })
  @Field(() => Boolean, { nullable: true, description: "The vote recorded (SHORTLIST rounds); null for scores and withdrawals." })
  pass!: boolean | null;

  @Column("jsonb")
  criteria!: CriteriaValues;

  @Column("text")
  @Field({ description: "Who made the change: the token's subject." })
  actor!: string;

  @Column("timestamptz")
  @Field({ description: "When the change was recorded (millisecond precision, part of the hash)." })
  recordedAt!: Date;

  @Column("text")
  @Field({ description: "SHA-256 (hex) of the previous record; 64 zeros for the first." })
  previousHash!: string;

  @Column("text")
  @Field({ description: "SHA-256 (hex) of this record's content and previousHash." })
  hash!: string;
}
