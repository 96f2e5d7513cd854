// What the gateway keeps per request: the verified caller and the headers it forwards to subgraphs.
import type { Request } from "express";
import { Viewer } from "../lib/auth";
import { requestContextFrom } from "../lib/context";
import { AdmissionState, admissionOf } from "./admission/admission.middleware";
import { FrontSlot, responseCacheSlotOf } from "./response-cache/response-cache";

export interface GatewayContext {
  viewer: Viewer | undefined;
  authorization: string | undefined;
  requestId: string;
  acceptLanguage: string | undefined;
  clientIp: string | undefined;
  visitorId: string | undefined;
  /** The caller's budget and the operation's cost, as admission charged them. */
  admission?: AdmissionState;
  /** Where the response cache's front door waits for this request's answer, when the public may share it. */
  responseCacheSlot?: FrontSlot;
}

/** Verifies the token at the edge so a bad one costs no subgraph request. */
export function createGatewayContext(request: Request): GatewayContext {
  const { viewer, requestId, clientIp, visitorId } = requestContextFrom(request);
  const acceptLanguage = request.headers["accept-language"];
  return {
    viewer,
    requestId,
    authorization: request.headers.authorization,
    acceptLanguage: typeof acceptLanguage === "string" ? acceptLanguage.slice(0, 200) : undefined,
    clientIp,
    visitorId,
    admission: admissionOf(request),
    responseCacheSlot: responseCacheSlotOf(request),
  };
}
