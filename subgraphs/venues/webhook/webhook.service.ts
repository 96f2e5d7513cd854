// Responsible for partners' webhooks: registering endpoints, the delivery log, replays and test pings. Events
// reach them through venues.events.ts and webhook-delivery.store.ts.
import { randomBytes, randomUUID } from "node:crypto";
import { DataSource } from "typeorm";
import { Viewer } from "../../../lib/auth";
import { RequestContext } from "../../../lib/context";
import { venuesPolicy, webhookOrganizationScope } from "../venues.visibility";
import { badInput, conflict, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { keysetPage, Page, PageArgs } from "../../../lib/pagination";
import { optionalText } from "../../../lib/text";
import { DeliveryStatus, PartnerEvent, Webhook, WebhookDelivery, WebhookEvent } from "./webhook.entity";
import { assertPublicTarget, parseWebhookUrl } from "./webhook-target";

const MAX_WEBHOOKS_PER_ORGANIZATION = 10;

export class WebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {}

  /** Partners manage their organisation's webhooks; organisers any organisation's (they must name it). */
  private scope(organizationId?: string | null): { viewer: Viewer; organizationId: string | undefined } {
    const viewer = venuesPolicy.assertCan(this.context, "webhook:manage");
    return { viewer, organizationId: webhookOrganizationScope(viewer, organizationId ? parseId(organizationId, "organizationId") : undefined) };
  }

  /** A webhook the caller may manage, or NOT_FOUND. */
  private async owned(id: string): Promise<Webhook> {
    const { organizationId } = this.scope();
    const webhook = await this.dataSource.getRepository(Webhook).findOneBy({ id: parseId(id, "id") });
    if (!webhook || (organizationId && webhook.organizationId !== organizationId)) throw notFound("Webhook", id);
    return webhook;
  }

  async create(input: {
    url: string;
    events: WebhookEvent[];
    description?: string | null;
    organizationId?: string | null;
  }): Promise<{ webhook: Webhook; signingSecret: string }> {
    const { organizationId } = this.scope(input.organizationId);
    if (!organizationId) throw badInput("organizationId is required for an organiser.", { argument: "organizationId" });
    const url = parseWebhookUrl(input.url);
    await assertPublicTarget(url);
    const events = [...new Set(input.events)];
    if (events.length === 0) throw badInput("Subscribe to at least one event.", { argument: "events" });
    const repository = this.dataSource.getRepository(Webhook);
    if ((await repository.countBy({ organizationId })) >= MAX_WEBHOOKS_PER_ORGANIZATION) {
      throw conflict(`An organisation can register at most ${MAX_WEBHOOKS_PER_ORGANIZATION} webhooks.`);
    }
    const signingSecret = `whsec_${randomBytes(24).toString("base64url")}`;
    const webhook = await repository.save(
      repository.create({
        organizationId,
        url: url.toString(),
        events,
        description: optionalText(input.description, "description", 500),
        signingSecret,
        disabledAt: null,
      }),
    );
    return { webhook, signingSecret };
  }

  async list(): Promise<Webhook[]> {
    const { organizationId } = this.scope();
    return this.dataSource.getRepository(Webhook).find({ where: organizationId ? { organizationId } : {}, order: { createdAt: "ASC" } });
  }

  async update(input: { id: string; url?: string | null; events?: WebhookEvent[] | null; disabled?: boolean | null }): Promise<Webhook> {
    const webhook = await this.owned(input.id);
    if (input.url != null) {
      const url = parseWebhookUrl(input.url);
      await assertPublicTarget(url);
      webhook.url = url.toString();
    }
    if (input.events != null) {
      if (input.events.length === 0) throw badInput("Subscribe to at least one event.", { argument: "events" });
      webhook.events = [...new Set(input.events)];
    }
    if (input.disabled != null) webhook.disabledAt = input.disabled ? (webhook.disabledAt ?? new Date()) : null;
    return this.dataSource.getRepository(Webhook).save(webhook);
  }

  async deliveries(webhookId: string, args: PageArgs): Promise<Page<WebhookDelivery>> {
    const webhook = await this.owned(webhookId);
    const query = this.dataSource.getRepository(WebhookDelivery).createQueryBuilder("delivery").where("delivery.webhook_id = :id", { id: webhook.id });
    return keysetPage(query, { columns: ["delivery.created_at", "delivery.id"], direction: "DESC", cursorOf: (d) => [d.createdAt.toISOString(), d.id] }, args);
  }

  /** Sends a delivery again now (its event keeps its id, so receivers can de-duplicate). */
  async replay(deliveryId: string): Promise<WebhookDelivery> {
    const repository = this.dataSource.getRepository(WebhookDelivery);
    const delivery = await repository.findOneBy({ id: parseId(deliveryId, "id") });
    if (!delivery) throw notFound("WebhookDelivery", deliveryId);
    await this.owned(delivery.webhookId);
    delivery.status = DeliveryStatus.PENDING;
    delivery.nextAttemptAt = new Date();
    return repository.save(delivery);
  }

  /** Queues a `ping` event to one webhook, to test the endpoint and the signature check. */
  async ping(webhookId: string): Promise<WebhookDelivery> {
    const webhook = await this.owned(webhookId);
    return this.dataSource.transaction(async (manager) => {
      const event = await manager.getRepository(PartnerEvent).save({
        id: randomUUID(),
        type: "ping",
        occurredAt: new Date(),
        organizationIds: [webhook.organizationId],
        payload: { webhookId: webhook.id, message: "Test delivery from the Image China partner API." },
      });
      return manager
        .getRepository(WebhookDelivery)
        .save({ webhookId: webhook.id, eventId: event.id, status: DeliveryStatus.PENDING, attempts: 0, nextAttemptAt: new Date() });
    });
  }
}
