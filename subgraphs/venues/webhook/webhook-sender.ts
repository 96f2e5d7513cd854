// Sends one signed event to one endpoint: HMAC-SHA256 over "<timestamp>.<body>", no redirects, a timeout,
// and the private-address guard applied to the address actually dialled.
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { assertPublicTarget, guardedLookup } from "./webhook-target";

export const SIGNATURE_HEADER = "x-image-china-signature";
export const TIMESTAMP_HEADER = "x-image-china-timestamp";
export const EVENT_ID_HEADER = "x-image-china-event-id";
export const EVENT_TYPE_HEADER = "x-image-china-event";

/** The signature a receiver recomputes: hex HMAC-SHA256 of `${timestamp}.${body}` with the signing secret. */
export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export interface DeliveryAttempt {
  ok: boolean;
  status: number | null;
  error: string | null;
}

export async function sendWebhook(target: string, secret: string, event: { id: string; type: string; occurredAt: Date; payload: Record<string, unknown> }): Promise<DeliveryAttempt> {
  const url = new URL(target);
  try {
    await assertPublicTarget(url);
  } catch (error) {
    return { ok: false, status: null, error: (error as Error).message };
  }
  const body = JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt.toISOString(), data: event.payload });
  const timestamp = Math.floor(Date.now() / 1000);
  const client = url.protocol === "https:" ? https : http;
  return new Promise<DeliveryAttempt>((resolve) => {
    const request = client.request(
      url,
      {
        method: "POST",
        lookup: guardedLookup,
        timeout: 10_000,
        headers: {
          "content-type": "application/json",
          "user-agent": "ImageChina-Webhooks/1",
          [EVENT_TYPE_HEADER]: event.type,
          [EVENT_ID_HEADER]: event.id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhookBody(secret, timestamp, body),
        },
      },
      (response) => {
        // The body is not needed; drain at most a little of it and move on.
        response.resume();
        const status = response.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 300, status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` });
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out after 10 s")));
    request.on("error", (error) => resolve({ ok: false, status: null, error: error.message.slice(0, 300) }));
    request.end(body);
  });
}
