import { Field, ID, InputType, Int } from "type-graphql";

@InputType({ description: "Automatic assignment of a DRAFT round (organiser only): replaces all its assignments." })
export class AssignJudgesInput {
  @Field(() => ID, { description: "A DRAFT round." })
  roundId!: string;

  @Field(() => [ID], { description: "The round's judge pool, at least the quorum and at most 500 judges; recusals and reassignments draw on it too." })
  judgeIds!: string[];

  @Field(() => Int, { nullable: true, description: "Judges per entry, 1 to 25; default the round's quorum (and it becomes the round's quorum)." })
  quorum?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Any text, at most 100 characters, that varies the tie-breaks; default the round's id. Same entries, judges, quorum and seed give the same assignments.",
  })
  seed?: string | null;
}

@InputType({ description: "A manual assignment (organiser only), in a round that is not closed." })
export class AddAssignmentInput {
  @Field(() => ID, { description: "A round that is not closed." })
  roundId!: string;

  @Field(() => ID, { description: "An entry the round covers." })
  entryId!: string;

  @Field(() => ID, { description: "A judge without a conflict of interest with the entry; joins the round's judge pool." })
  judgeId!: string;
}
