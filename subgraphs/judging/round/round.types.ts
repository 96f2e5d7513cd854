import { Field, Int, ObjectType } from "type-graphql";
import { Judge } from "../judge/judge.entity";
import { JudgingRound } from "./round.entity";

@ObjectType({ description: "One judge's workload in a round." })
export class JudgeProgress {
  @Field(() => Judge, { description: "The judge." })
  judge!: Judge;

  @Field(() => Int, { description: "Assignments not recused." })
  assigned!: number;

  @Field(() => Int, { description: "Of those, scored or voted." })
  scored!: number;

  @Field(() => Int, { description: "Of those, still waiting for a score or vote." })
  pending!: number;

  @Field(() => Int, { description: "Assignments the judge recused from." })
  recused!: number;
}

@ObjectType({ description: "How far a round's judging has come (organisers only)." })
export class JudgingProgress {
  @Field(() => JudgingRound, { description: "The round." })
  round!: JudgingRound;

  @Field(() => Int, { description: "Entries the round covers." })
  entries!: number;

  @Field(() => Int, { description: "Assignments not recused." })
  assignments!: number;

  @Field(() => Int, { description: "Assignments scored or voted." })
  scored!: number;

  @Field(() => Int, { description: "Assignments still waiting for a score or vote." })
  pending!: number;

  @Field(() => Int, { description: "Assignments recused." })
  recused!: number;

  @Field(() => Int, { description: "Entries whose every (not recused) assignment is scored." })
  entriesFullyScored!: number;

  @Field(() => Int, { description: "Entries with fewer active assignments than the quorum (e.g. after a recusal no other judge could take)." })
  entriesShortOfQuorum!: number;

  @Field(() => [JudgeProgress], { description: "Per judge, by judge id." })
  judges!: JudgeProgress[];
}

@ObjectType({ description: "How many entries a judge received in an assignment." })
export class JudgeLoad {
  @Field(() => Judge, { description: "The judge." })
  judge!: Judge;

  @Field(() => Int, { description: "Entries assigned to the judge." })
  assigned!: number;
}

@ObjectType({ description: "The outcome of assignJudges." })
export class AssignmentSummary {
  @Field(() => JudgingRound, { description: "The round, with its new quorum and seed." })
  round!: JudgingRound;

  @Field(() => Int, { description: "Entries the round covers (snapshotted from the entries subgraph now)." })
  entries!: number;

  @Field(() => Int, { description: "Assignments made (entries × quorum)." })
  assignments!: number;

  @Field({ description: "The seed used; the same entries, judges, quorum and seed give the same assignments." })
  seed!: string;

  @Field(() => [JudgeLoad], { description: "Assignments per judge, by judge id: they differ by at most one where conflicts of interest allow." })
  judges!: JudgeLoad[];
}
