import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Award } from "../award/award.entity";
import type { JudgingContext } from "../context";
import { VenueReference } from "./venue.type";

@Resolver(() => VenueReference)
export class VenueAwardsResolver {
  @FieldResolver(() => [Award], {
    description: "Published awards to entries that came through this venue (its results); organisers also see unpublished proposals.",
  })
  awards(@Root() venue: VenueReference, @Ctx() context: JudgingContext) {
    return context.awards.forVenue(venue.id);
  }
}
