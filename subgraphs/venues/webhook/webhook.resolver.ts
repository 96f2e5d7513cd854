import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, PageArguments } from "../../../lib/pagination";
import type { VenuesContext } from "../context";
import { Webhook, WebhookDelivery, WebhookEvent } from "./webhook.entity";

export const WebhookDeliveryConnection = ConnectionType("WebhookDelivery", WebhookDelivery, "A page of a webhook's deliveries, newest first.");

@InputType({ description: "A new webhook. Partners register for their own organisation; organisers name one." })
export class CreateWebhookInput {
  @Field({ description: "The endpoint: https, reaching a public address (private, loopback and link-local targets are refused)." })
  url!: string;

  @Field(() => [WebhookEvent], { description: "The kinds of event to receive; at least one." })
  events!: WebhookEvent[];

  @Field(() => String, { nullable: true, description: "A note for yourself on what the endpoint is for, at most 500 characters." })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: "Organisers only: the organisation the webhook is for." })
  organizationId?: string | null;
}

@InputType({ description: "Changes to a webhook; omitted fields stay as they are." })
export class UpdateWebhookInput {
  @Field(() => ID, { description: "The webhook to change (Webhook.id). NOT_FOUND when unknown or not yours." })
  id!: string;

  @Field(() => String, { nullable: true, description: "A new https endpoint (same rules as on creation)." })
  url?: string | null;

  @Field(() => [WebhookEvent], { nullable: true, description: "Replaces the kinds of event received." })
  events?: WebhookEvent[] | null;

  @Field(() => Boolean, { nullable: true, description: "true stops deliveries; false resumes them." })
  disabled?: boolean | null;
}

@ObjectType({ description: "A webhook with its signing secret. The secret is shown only here, once: store it to verify signatures." })
export class WebhookWithSecret {
  @Field(() => Webhook, { description: "The webhook as registered." })
  webhook!: Webhook;

  @Field({
    description:
      "Verify each delivery: hex HMAC-SHA256 of `<x-image-china-timestamp>.<raw body>` with this secret equals the x-image-china-signature header after `v1=`.",
  })
  signingSecret!: string;
}

@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => [Webhook], { description: "The caller's organisation's webhooks (partners), or all (organisers)." })
  webhooks(@Ctx() context: VenuesContext) {
    return context.webhooks.list();
  }

  @Mutation(() => WebhookWithSecret, {
    description: "Registers an endpoint for signed events. Errors: BAD_USER_INPUT (URL refused), CONFLICT (too many), FORBIDDEN.",
  })
  createWebhook(
    @Arg("input", { description: "The endpoint URL, the events to receive and an optional description." }) input: CreateWebhookInput,
    @Ctx() context: VenuesContext,
  ) {
    return context.webhooks.create(input);
  }

  @Mutation(() => Webhook, { description: "Changes or disables a webhook. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN." })
  updateWebhook(@Arg("input", { description: "The webhook's id and the fields to change." }) input: UpdateWebhookInput, @Ctx() context: VenuesContext) {
    return context.webhooks.update(input);
  }

  @Mutation(() => WebhookDelivery, { description: "Sends a test `ping` event to the webhook now." })
  pingWebhook(@Arg("id", () => ID, { description: "The webhook's id (Webhook.id)." }) id: string, @Ctx() context: VenuesContext) {
    return context.webhooks.ping(id);
  }

  @Mutation(() => WebhookDelivery, { description: "Sends a delivery again now, with the same event id (receivers de-duplicate on it)." })
  replayWebhookDelivery(@Arg("id", () => ID, { description: "The delivery's id (WebhookDelivery.id)." }) id: string, @Ctx() context: VenuesContext) {
    return context.webhooks.replay(id);
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: "The delivery log, newest first." })
  deliveries(@Root() webhook: Webhook, @Args() page: PageArguments, @Ctx() context: VenuesContext) {
    return context.webhooks.deliveries(webhook.id, page);
  }
}
