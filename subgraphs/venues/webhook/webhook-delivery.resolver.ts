import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from "type-graphql";
import type { VenuesContext } from "../context";
import { WebhookDelivery } from "./webhook.entity";

@ObjectType({ description: "The event a delivery carries." })
export class DeliveredEvent {
  @Field({ description: 'Dotted type, e.g. "entry.submitted", or "ping".' })
  type!: string;

  @Field({ description: "When the event happened (ISO 8601, UTC), also sent in the body." })
  occurredAt!: Date;
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => DeliveredEvent, { description: "The event this delivery carries." })
  async event(@Root() delivery: WebhookDelivery, @Ctx() context: VenuesContext) {
    return context.loaders.partnerEvent.load(delivery.eventId);
  }
}
