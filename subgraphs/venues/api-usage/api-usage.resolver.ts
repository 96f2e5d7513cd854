import { Arg, Ctx, Directive, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { VenuesContext } from "../context";

@ObjectType({ description: "Requests one API client made in a time window, as the gateways counted them." })
export class ApiUsage {
  @Field({ description: 'The client id (or "anonymous" for requests without a token).' })
  clientId!: string;

  @Field(() => Int, { description: "Requests the client made in the window." })
  requests!: number;

  @Field(() => Int, { description: "Requests answered with at least one error." })
  errors!: number;

  @Field(() => Int, { description: "Requests refused with RATE_LIMITED." })
  rateLimited!: number;
}

@InputType({ description: "Internal: one gateway's counts for one client and minute." })
export class ApiUsageInput {
  @Field({ description: "Internal: the client id counted." })
  clientId!: string;

  @Field({ description: "Internal: the minute counted (start of the minute, UTC)." })
  minute!: Date;

  @Field(() => Int, { description: "Internal: requests in that minute." })
  requests!: number;

  @Field(() => Int, { description: "Internal: requests answered with errors." })
  errors!: number;

  @Field(() => Int, { description: "Internal: requests refused with RATE_LIMITED." })
  rateLimited!: number;
}

@Resolver()
export class ApiUsageResolver {
  @Query(() => [ApiUsage], { description: "Organiser only: requests, errors and rate-limited calls per client between from and to (minute resolution)." })
  apiUsage(
    @Arg("from", { description: "Start of the window (inclusive), ISO 8601; counted per minute." }) from: Date,
    @Arg("to", { description: "End of the window (exclusive), ISO 8601; must be after `from` (BAD_USER_INPUT otherwise)." }) to: Date,
    @Ctx() context: VenuesContext,
  ) {
    return context.apiUsage.totals(from, to);
  }

  @Mutation(() => Int, { description: "Internal, not exposed by the gateway: per-minute counts from a gateway." })
  @Directive("@inaccessible")
  recordApiUsage(@Arg("counts", () => [ApiUsageInput]) counts: ApiUsageInput[], @Ctx() context: VenuesContext) {
    return context.apiUsage.record(counts);
  }
}
