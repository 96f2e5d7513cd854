import { Field, Float, Int, ObjectType } from "type-graphql";
import { JudgingRound } from "../round/round.entity";

@ObjectType({ description: "How often the judge gave one value." })
export class ScoreBucket {
  @Field(() => Float, { description: "A score value (SCORE rounds; the weighted score, 3 decimals) or 1/0 for yes/no votes (SHORTLIST rounds)." })
  value!: number;

  @Field(() => Int, { description: "How many of the judge's scores have this value." })
  count!: number;
}

@ObjectType({ description: "A judge's own progress in a round and the distribution of their own scores; never other judges' scores." })
export class MyJudgingProgress {
  @Field(() => JudgingRound, { description: "The round." })
  round!: JudgingRound;

  @Field(() => Int, { description: "Entries assigned (recusals not counted)." })
  assigned!: number;

  @Field(() => Int, { description: "Assigned entries the judge has scored or voted on." })
  scored!: number;

  @Field(() => Int, { description: "Assigned entries still to score or vote on." })
  pending!: number;

  @Field(() => Int, { description: "Entries the judge recused from." })
  recused!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Mean of the judge's own scores (SCORE rounds) or share of yes votes (SHORTLIST rounds); null before the first.",
  })
  meanScore!: number | null;

  @Field(() => [ScoreBucket], { description: "The judge's own scores by value, lowest first." })
  distribution!: ScoreBucket[];
}

@ObjectType({
  description:
    "The head of a round's hash-chained score log, fixed in an append-only record when the round closed and when its awards were published, and signed. The hash is that of the record at position recordCount (64 zeros for an empty log); each record's hash covers the one before, so the head vouches for every record up to it.",
})
export class ScoreLogHead {
  @Field({ description: "SHA-256 (hex) of the last record when the head was fixed (64 zeros for an empty log)." })
  hash!: string;

  @Field(() => Int, { description: "How many records the log had: the position of the record whose hash this is." })
  recordCount!: number;

  @Field({ description: "When the head was fixed." })
  fixedAt!: Date;

  @Field({
    description:
      'A compact JWS (RFC 7515) of {"typ":"score-log-head/v1","roundId","reason":"ROUND_CLOSED"|"AWARDS_PUBLISHED","hash","recordCount","fixedAt","iss"}, signed with the API\'s token signing key. With an RS256/ES256 key (JWT_PRIVATE_KEY) anyone verifies it with the public key of its kid from the gateway\'s /.well-known/jwks.json; a development deployment signing with the HS256 secret gives no third-party proof.',
  })
  jws!: string;
}

@ObjectType({ description: "A problem the score-log check found." })
export class ScoreLogProblem {
  @Field(() => Int, { nullable: true, description: "The record concerned, when there is one." })
  sequence!: number | null;

  @Field({ description: "What is wrong, in words an organiser can act on." })
  problem!: string;
}

@ObjectType({ description: "The result of checking a round's score log: hashes, links, gaps, the head kept on the round, and current scores against the log." })
export class ScoreLogVerification {
  @Field(() => JudgingRound, { description: "The round checked." })
  round!: JudgingRound;

  @Field({ description: "True when no problem was found." })
  valid!: boolean;

  @Field(() => Int, { description: "Records checked." })
  eventsChecked!: number;

  @Field(() => String, { nullable: true, description: "Hash of the last record (the chain's head); null for an empty log." })
  headHash!: string | null;

  @Field(() => String, { nullable: true, description: "The head hash the caller holds and asked about (expectedHead); null when none was given." })
  expectedHead!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Whether today's chain extends expectedHead: a record with that hash is in the log at its position and every later record chains from it and matches its own hash. False means records up to the head were changed or removed. Null when no expectedHead was given.",
  })
  extendsExpectedHead!: boolean | null;

  @Field(() => [ScoreLogProblem], { description: "Every problem found; empty when valid." })
  problems!: ScoreLogProblem[];
}
