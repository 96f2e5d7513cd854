import { Field, Int, ObjectType } from "type-graphql";
import { Assignment } from "./assignment.entity";

@ObjectType({ description: "The outcome of a recusal." })
export class RecusalResult {
  @Field(() => Assignment, { description: "The recused assignment." })
  assignment!: Assignment;

  @Field({
    description: "True when another eligible judge took the entry over; false when none could (the entry is then short of its quorum, see judgingProgress).",
  })
  reassigned!: boolean;
}

@ObjectType({ description: "The outcome of reassignUnscoredAssignments." })
export class ReassignmentResult {
  @Field(() => Int, { description: "Unscored assignments moved to other judges." })
  moved!: number;

  @Field(() => Int, { description: "Unscored assignments no other eligible judge could take; they stay with the judge." })
  unmoved!: number;
}
