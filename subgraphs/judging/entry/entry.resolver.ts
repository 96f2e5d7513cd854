import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Award } from "../award/award.entity";
import type { JudgingContext } from "../context";
import { Score } from "../score/score.entity";
import { EntryReference } from "./entry.type";

@Resolver(() => EntryReference)
export class EntryJudgingResolver {
  @FieldResolver(() => [Award], { description: "The entry's awards: published ones for everyone, also unpublished proposals for organisers." })
  awards(@Root() entry: EntryReference, @Ctx() context: JudgingContext) {
    return context.awards.forEntry(entry.id);
  }

  @FieldResolver(() => [Score], { description: "Scores and votes on the entry: all for organisers, only their own for a judge, none for anyone else." })
  scores(@Root() entry: EntryReference, @Ctx() context: JudgingContext) {
    return context.scores.forEntry(entry.id);
  }
}
