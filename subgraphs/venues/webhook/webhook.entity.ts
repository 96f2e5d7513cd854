import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

export enum WebhookEvent {
  ENTRY_SUBMITTED = "ENTRY_SUBMITTED",
  ENTRY_WITHDRAWN = "ENTRY_WITHDRAWN",
  ENTRY_DISQUALIFIED = "ENTRY_DISQUALIFIED",
  AWARDS_PUBLISHED = "AWARDS_PUBLISHED",
  EXHIBITION_PUBLISHED = "EXHIBITION_PUBLISHED",
}
registerEnumType(WebhookEvent, {
  name: "WebhookEvent",
  description: 'Events a partner can receive about its own venues. The delivered JSON has `type` in dotted form, e.g. "entry.submitted".',
  valuesConfig: {
    ENTRY_SUBMITTED: { description: 'An entry of one of your venues was submitted to the jury (type "entry.submitted").' },
    ENTRY_WITHDRAWN: { description: 'An entry of one of your venues was withdrawn (type "entry.withdrawn").' },
    ENTRY_DISQUALIFIED: { description: 'The organisers disqualified an entry of one of your venues (type "entry.disqualified").' },
    AWARDS_PUBLISHED: {
      description:
        "Awards of a theme (or a division) were published (type \"awards.published\"); the payload's scoreLogHeads carry each round's signed score-log head to keep.",
    },
    EXHIBITION_PUBLISHED: { description: 'An exhibition showing your works or hosted by your venues was published (type "exhibition.published").' },
  },
});

/** "entry.submitted" → "ENTRY_SUBMITTED": the type in the delivered body, as the enum partners subscribe with. */
export const webhookEventOf = (type: string) => type.toUpperCase().replace(".", "_") as WebhookEvent;

export enum DeliveryStatus {
  PENDING = "PENDING",
  DELIVERED = "DELIVERED",
  FAILED = "FAILED",
}
registerEnumType(DeliveryStatus, {
  name: "WebhookDeliveryStatus",
  description:
    "PENDING: not yet accepted, being retried with backoff; DELIVERED: the endpoint answered 2xx; FAILED: retried for WEBHOOK_RETRY_HOURS without success.",
  valuesConfig: {
    PENDING: {
      description:
        "Not delivered yet; retried with exponential backoff (up to two hours apart) until it succeeds or the retry period (WEBHOOK_RETRY_HOURS) ends.",
    },
    DELIVERED: { description: "Your endpoint answered with a 2xx status." },
    FAILED: { description: "Every attempt failed; replay it with replayWebhookDelivery once your endpoint works." },
  },
});

@Entity({ name: "webhook" })
@ObjectType({ description: "An HTTPS endpoint of a partner that receives signed events about the partner's venues." })
export class Webhook {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the webhook; pass it to updateWebhook and pingWebhook." })
  id!: string;

  @Column("uuid")
  organizationId!: string;

  @Column("text")
  @Field({ description: "The https endpoint events are POSTed to." })
  url!: string;

  @Column("text", { array: true })
  @Field(() => [WebhookEvent], { description: "The kinds of event sent to this endpoint." })
  events!: WebhookEvent[];

  @Column("text", { nullable: true })
  @Field(() => String, { nullable: true, description: "Your note on what the endpoint is for, if you gave one." })
  description!: string | null;

  @Column("text")
  signingSecret!: string;

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the webhook was registered (ISO 8601, UTC)." })
  createdAt!: Date;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "Set when the partner disabled the webhook; no further deliveries." })
  disabledAt!: Date | null;
}

@Entity({ name: "partner_event" })
export class PartnerEvent {
  @PrimaryColumn("uuid")
  id!: string;

  @Column("text")
  type!: string;

  @Column("timestamptz")
  occurredAt!: Date;

  @Column("uuid", { array: true })
  organizationIds!: string[];

  @Column("jsonb")
  payload!: Record<string, unknown>;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}

@Entity({ name: "webhook_delivery" })
@ObjectType({ description: "One event sent (or being sent) to one webhook: the delivery log a partner reads." })
export class WebhookDelivery {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the delivery; pass it to replayWebhookDelivery to send it again." })
  id!: string;

  @Column("uuid")
  webhookId!: string;

  @Column("uuid")
  @Field(() => ID, { description: "The event id, also sent as the x-image-china-event-id header: use it to de-duplicate." })
  eventId!: string;

  @Column("text")
  @Field(() => DeliveryStatus, { description: "PENDING while attempts remain, DELIVERED once your endpoint answered 2xx, FAILED after the last attempt." })
  status!: DeliveryStatus;

  @Column("int")
  @Field(() => Int, { description: "How many times the event was sent so far." })
  attempts!: number;

  @Column("timestamptz")
  @Field({ description: "When the next attempt is due (for PENDING deliveries)." })
  nextAttemptAt!: Date;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When it was last sent; null before the first attempt." })
  lastAttemptAt!: Date | null;

  @Column("int", { nullable: true })
  @Field(() => Int, { nullable: true, description: "HTTP status of the last attempt; null when the endpoint could not be reached." })
  lastResponseCode!: number | null;

  @Column("text", { nullable: true })
  @Field(() => String, {
    nullable: true,
    description: "Why the last attempt failed, as a coarse cause: `refused target`, `timeout`, `TLS failure`, `could not connect` or `HTTP <status>`.",
  })
  lastError!: string | null;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When your endpoint accepted it (2xx); null until then." })
  deliveredAt!: Date | null;

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the event was queued for this webhook." })
  createdAt!: Date;
}
