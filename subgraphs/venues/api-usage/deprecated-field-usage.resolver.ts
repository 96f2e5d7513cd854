import { Arg, Ctx, Directive, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { VenuesContext } from "../context";

@ObjectType({ description: "How often one API client used one deprecated field, argument or enum value, as the gateways counted it." })
export class DeprecatedFieldUsage {
  @Field({ description: 'The client id (or "anonymous" for requests without a token).' })
  clientId!: string;

  @Field({ description: 'The schema coordinate, e.g. "Venue.city", "Query.venues(limit:)" or "Region.ABROAD".' })
  coordinate!: string;

  @Field(() => Int, { description: "Operations in the window that used it." })
  requests!: number;

  @Field({ description: "The last minute (UTC) it was used in the window." })
  lastSeenAt!: Date;
}

@InputType({ description: "Internal: one gateway's count of one deprecated coordinate for one client and minute." })
export class DeprecatedFieldUsageInput {
  @Field({ description: "Internal: the client id counted." })
  clientId!: string;

  @Field({ description: "Internal: the minute counted (start of the minute, UTC)." })
  minute!: Date;

  @Field({ description: "Internal: the deprecated schema coordinate." })
  coordinate!: string;

  @Field(() => Int, { description: "Internal: operations that used it." })
  requests!: number;
}

@Resolver()
export class DeprecatedFieldUsageResolver {
  @Query(() => [DeprecatedFieldUsage], {
    description:
      "Organiser only: which clients used deprecated fields, arguments or enum values on the UTC days from `from` to `to`, so they can be warned before a removal. Errors: BAD_USER_INPUT.",
  })
  deprecatedFieldUsage(
    @Arg("from", { description: "Start of the window; counted per UTC day." }) from: Date,
    @Arg("to", { description: "End of the window; must be after `from`." }) to: Date,
    @Arg("coordinate", () => String, { nullable: true, description: 'Only this schema coordinate, e.g. "Venue.city".' }) coordinate: string | null,
    @Ctx() context: VenuesContext,
  ) {
    return context.deprecatedFieldUsage.uses(from, to, coordinate);
  }

  @Mutation(() => Int, { description: "Internal, not exposed by the gateway: per-minute deprecated-field counts from a gateway." })
  @Directive("@inaccessible")
  recordDeprecatedFieldUsage(@Arg("counts", () => [DeprecatedFieldUsageInput]) counts: DeprecatedFieldUsageInput[], @Ctx() context: VenuesContext) {
    return context.deprecatedFieldUsage.record(counts);
  }
}
