// Sends one signed event to one endpoint: HMAC-SHA256 over "<timestamp>.<body>", no redirects, an absolute
// deadline for the whole attempt (a receiver that trickles its answer byte by byte cannot hold it longer), and the
// private-address guard applied to every address actually dialled. What is recorded for the partner names a
// coarse cause only (refused target, timeout, TLS failure, could not connect, HTTP status): never an error text
// that would tell an open port from a closed one.
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { Socket } from "node:net";
import { assertPublicTarget, guardedLookup, hostOf, isRefusedAddress, RefusedTargetError } from "./webhook-target";

export const SIGNATURE_HEADER = "x-image-china-signature";
export const TIMESTAMP_HEADER = "x-image-china-timestamp";
export const EVENT_ID_HEADER = "x-image-china-event-id";
export const EVENT_TYPE_HEADER = "x-image-china-event";

/** The signature a receiver recomputes: hex HMAC-SHA256 of `${timestamp}.${body}` with the signing secret. */
export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The causes a partner may read in the delivery log. */
export const DeliveryFailure = {
  REFUSED_TARGET: "refused target",
  TIMEOUT: "timeout",
  TLS_FAILURE: "TLS failure",
  CONNECTION_FAILED: "could not connect",
} as const;

export interface DeliveryAttempt {
  ok: boolean;
  status: number | null;
  error: string | null;
}

class DeadlineError extends Error {}

/** Maps any failure to a coarse cause; the details stay out of what partners can read. */
export function deliveryFailureOf(error: unknown): string {
  if (error instanceof RefusedTargetError) return DeliveryFailure.REFUSED_TARGET;
  if (error instanceof DeadlineError) return DeliveryFailure.TIMEOUT;
  const code = String((error as { code?: unknown })?.code ?? "");
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code) || /certificate|ssl|tls/i.test(String((error as Error)?.message))) {
    return DeliveryFailure.TLS_FAILURE;
  }
  return DeliveryFailure.CONNECTION_FAILED;
}

export interface SendOptions {
  /** Absolute deadline of the attempt, from the first byte sent to the response's status line. */
  deadlineMs: number;
}

export async function sendWebhook(
  target: string,
  secret: string,
  event: { id: string; type: string; occurredAt: Date; payload: Record<string, unknown> },
  options: SendOptions,
): Promise<DeliveryAttempt> {
  const url = new URL(target);
  try {
    await assertPublicTarget(url);
  } catch {
    return { ok: false, status: null, error: DeliveryFailure.REFUSED_TARGET };
  }
  // An IP literal is dialled without a lookup: classify it here (assertPublicTarget did too; this is the rule's home).
  if (net.isIP(hostOf(url)) && isRefusedAddress(hostOf(url))) return { ok: false, status: null, error: DeliveryFailure.REFUSED_TARGET };
  const body = JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt.toISOString(), data: event.payload });
  const timestamp = Math.floor(Date.now() / 1000);
  const client = url.protocol === "https:" ? https : http;
  return new Promise<DeliveryAttempt>((resolve) => {
    let settled = false;
    const finish = (attempt: DeliveryAttempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(attempt);
    };
    const request = client.request(
      url,
      {
        method: "POST",
        lookup: guardedLookup,
        // A fresh connection per attempt: a kept-alive socket to another address must not be reused.
        agent: false,
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
        const status = response.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        finish({ ok, status, error: ok ? null : `HTTP ${status}` });
        // The body is not needed: the connection is closed rather than drained at the receiver's pace.
        request.destroy();
      },
    );
    const deadline = setTimeout(() => request.destroy(new DeadlineError()), options.deadlineMs);
    request.on("socket", (socket: Socket) => {
      // The peer actually reached, whatever resolved it: the last word on the address rule.
      socket.once("connect", () => {
        if (isRefusedAddress(socket.remoteAddress)) request.destroy(new RefusedTargetError());
      });
    });
    request.on("error", (error) => finish({ ok: false, status: null, error: deliveryFailureOf(error) }));
    request.end(body);
  });
}
