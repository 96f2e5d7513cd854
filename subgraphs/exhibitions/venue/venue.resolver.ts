import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { ExhibitionsContext } from "../context";
import { Exhibition } from "../exhibition/exhibition.entity";
import { VenueReference } from "./venue.type";

@Resolver(() => VenueReference)
export class VenueExhibitionsResolver {
  @FieldResolver(() => [Exhibition], {
    description: "Exhibitions this venue hosts that the caller may see (published ones for the public), newest first.",
  })
  exhibitions(@Root() venue: VenueReference, @Ctx() context: ExhibitionsContext) {
    return context.exhibitions.forVenue(venue.id);
  }
}
