// Admission at the gateway: the cheapest refusals first, before any body is read or any work is done.
//   1. The token is verified once (lib/context keeps the outcome for every later step).
//   2. The caller's rate budget is charged one point the moment the request arrives — per API client, or per
//      address group for the public and for bad tokens — so refused and invalid requests count too.
//   3. A bad token is refused (401) without reading the body; so is an upload without a token. Every refusal
//      answers with `Connection: close`, so a refused upload is not read to its end.
//   4. Uploads: a per-client cap on concurrent uploads and a total temporary-disk budget.
//   5. Capacity: separate concurrency shares (bounded queues) for anonymous and authenticated callers, so the
//      public, all addresses together, can never take the capacity partners, venues and judges need. On /graphql the
//      share is taken last, once the body is read and the operation checked (`share`), so a slow body holds none.
// After the body is parsed, chargeOperationCost (below) charges the rest of the operation's estimated cost.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { GraphQLError } from "graphql";
import type { Viewer } from "../../lib/auth";
import { config } from "../../lib/config";
import { verifiedViewer } from "../../lib/context";
import { ConcurrencyShare } from "../../lib/concurrency-share";
import { abortWhenCallerLeaves } from "../../lib/subgraph-admission";
import { Decision, RateLimitStore, rateLimitKey, rateLimited, ratePolicyOf } from "../rate-limit";
import { UploadAdmission } from "./upload-admission";

/** What admission learnt about a request, for the later steps and the response's headers and extensions. */
export interface AdmissionState {
  viewer: Viewer | undefined;
  budgetKey: string;
  policy: { perSecond: number; burst: number };
  /** The latest decision on the budget (after the arrival point, then after the cost). */
  decision: Decision;
  /** Points charged so far. */
  points: number;
  /** The operation's estimated cost, once measured. */
  cost?: number;
}

const states = new WeakMap<Request, AdmissionState>();

export function admissionOf(request: Request): AdmissionState | undefined {
  return states.get(request);
}

/** IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers, the RateLimit-* form) for the caller's budget. */
export function setRateLimitHeaders(response: Response, state: AdmissionState): void {
  if (response.headersSent) return;
  const { perSecond, burst } = state.policy;
  response.setHeader("ratelimit-limit", String(burst));
  response.setHeader("ratelimit-remaining", String(state.decision.remaining));
  response.setHeader("ratelimit-reset", String(state.decision.resetSeconds));
  // The window is the time a full burst takes to refill.
  response.setHeader("ratelimit-policy", `${burst};w=${Math.max(1, Math.ceil(burst / perSecond))};burst=${burst};policy="token bucket, ${perSecond} points/s"`);
}

/** Answers a refusal without reading the request's body, and closes the connection after it. */
export function refuse(
  response: Response,
  status: number,
  error: { message: string; code: string; extensions?: Record<string, unknown> },
  retryAfterSeconds?: number,
): void {
  if (response.headersSent) return;
  if (retryAfterSeconds !== undefined) response.setHeader("retry-after", String(retryAfterSeconds));
  response.setHeader("connection", "close");
  response.status(status).json({ errors: [{ message: error.message, extensions: { ...error.extensions, code: error.code } }] });
}

function refuseRateLimited(response: Response, state: AdmissionState): void {
  const error = rateLimited(state.policy, state.decision.retryAfterSeconds);
  refuse(
    response,
    429,
    { message: error.message, code: "RATE_LIMITED", extensions: { ...error.extensions, rateLimit: rateLimitExtension(state) } },
    state.decision.retryAfterSeconds,
  );
}

/** The budget as `extensions.rateLimit` reports it. */
export function rateLimitExtension(state: AdmissionState) {
  return { limit: state.policy.burst, remaining: state.decision.remaining, resetSeconds: state.decision.resetSeconds, perSecond: state.policy.perSecond };
}

export interface AdmissionOptions {
  rateLimits: RateLimitStore;
  /** Told of every request refused for its budget (usage per client). */
  onRateLimited?: (viewer: Viewer | undefined) => void;
  /** Points the route charges on arrival (exports weigh more than a request). */
  points?: (request: Request) => number;
}

export interface Admission {
  /** Budget, token and uploads, on arrival: before any body is read. */
  arrival: RequestHandler[];
  /**
   * The caller's capacity share. On /graphql it comes once the body has been read and the operation checked (the last
   * step before Apollo): a client that trickles its body, or sends one that is refused, holds no slot meanwhile.
   */
  share: RequestHandler;
  /** arrival then share, for the routes without a body to wait for (/media, /exports, /uploads streams its own). */
  handlers: RequestHandler[];
  shares: { public: ConcurrencyShare; authenticated: ConcurrencyShare; media: ConcurrencyShare };
  uploads: UploadAdmission;
}

/** Routes that stream media bytes (files out, resumable-upload parts in): the media share. */
const MEDIA_PATHS = /^\/(media|uploads)\//;

export function createAdmission(options: AdmissionOptions): Admission {
  const { authenticatedConcurrency, publicConcurrency, mediaConcurrency, queueLength, publicQueueLength, queueTimeoutMs } = config().admission;
  const shares = {
    public: new ConcurrencyShare("public", { concurrency: publicConcurrency, queueLength: publicQueueLength, queueTimeoutMs }),
    authenticated: new ConcurrencyShare("authenticated", { concurrency: authenticatedConcurrency, queueLength, queueTimeoutMs }),
    // Media files and upload parts are streamed, not computed: a page's thumbnails arrive a dozen at once, a venue's
    // parts take minutes on a slow link; neither must queue behind (or be shed by, or hold) the GraphQL shares.
    media: new ConcurrencyShare("media", { concurrency: mediaConcurrency, queueLength, queueTimeoutMs }),
  };
  const uploads = new UploadAdmission();

  const admit = async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    let viewer: Viewer | undefined;
    let tokenError: GraphQLError | undefined;
    try {
      viewer = verifiedViewer(request);
    } catch (error) {
      tokenError = error as GraphQLError;
    }
    const policy = ratePolicyOf(viewer);
    const budgetKey = rateLimitKey(viewer, request.ip);
    // Never more than a full bucket, or a small budget could never pay for it.
    const points = Math.min(policy.burst, Math.max(0.01, options.points?.(request) ?? 1));
    const decision = await options.rateLimits.take(budgetKey, policy.perSecond, policy.burst, points);
    const state: AdmissionState = { viewer, budgetKey, policy, decision, points: decision.allowed ? points : 0 };
    states.set(request, state);
    setRateLimitHeaders(response, state);
    if (!decision.allowed) {
      options.onRateLimited?.(viewer);
      return refuseRateLimited(response, state);
    }
    if (tokenError) {
      // A token that cannot be checked right now (the revocation list is stale) is refused as retryable, not as bad.
      const { code, retryAfterSeconds, ...extensions } = (tokenError.extensions ?? {}) as { code?: string; retryAfterSeconds?: number };
      if (code === "SERVICE_UNAVAILABLE") {
        return refuse(response, 503, { message: tokenError.message, code, extensions: { ...extensions, retryAfterSeconds } }, retryAfterSeconds);
      }
      return refuse(response, 401, { message: tokenError.message, code: "UNAUTHENTICATED" });
    }
    if (request.headers["content-type"]?.toLowerCase().startsWith("multipart/")) {
      if (!viewer) return refuse(response, 401, { message: "Uploads need a bearer token (Authorization: Bearer …).", code: "UNAUTHENTICATED" });
      const declared = request.headers["content-length"] === undefined ? undefined : Number(request.headers["content-length"]);
      const reserved = uploads.reserve(budgetKey, Number.isFinite(declared) ? declared : undefined);
      if (typeof reserved !== "function") {
        if (reserved.reason === "too-large")
          return refuse(response, 413, { message: "The upload is larger than the gateway accepts.", code: "PAYLOAD_TOO_LARGE" });
        if (reserved.reason === "client-busy") {
          return refuse(
            response,
            429,
            {
              message: `At most ${config().admission.uploadsPerClient} uploads at once per client; retry when one has finished.`,
              code: "RATE_LIMITED",
              extensions: { retryAfterSeconds: 1 },
            },
            1,
          );
        }
        return refuse(
          response,
          503,
          {
            message: "Uploads are at capacity right now; retry shortly.",
            code: "SERVICE_UNAVAILABLE",
            extensions: { reason: "OVERLOADED", retryAfterSeconds: 5 },
          },
          5,
        );
      }
      response.once("close", reserved);
    }
    next();
  };
  const arrival: RequestHandler[] = [abortWhenCallerLeaves, (request, response, next) => void admit(request, response, next).catch(next)];
  const share: RequestHandler = (request, response, next) => shareOf(request).admit(request, response, next);
  const shareOf = (request: Request) => (MEDIA_PATHS.test(request.path) ? shares.media : admissionOf(request)?.viewer ? shares.authenticated : shares.public);

  return { arrival, share, handlers: [...arrival, share], shares, uploads };
}

/**
 * After the operation's cost is known (the operation limits measured it), charges the points beyond the one taken
 * on arrival: 1 + floor(cost / RATE_LIMIT_COST_PER_POINT) in all, so expensive operations use the budget faster.
 */
export async function chargeOperationCost(rateLimits: RateLimitStore, request: Request, response: Response, cost: number): Promise<boolean> {
  const state = admissionOf(request);
  if (!state) return true;
  state.cost = cost;
  const extra = Math.min(state.policy.burst - state.points, Math.floor(cost / config().admission.costPerPoint));
  if (extra <= 0) return true;
  const decision = await rateLimits.take(state.budgetKey, state.policy.perSecond, state.policy.burst, extra);
  state.decision = decision;
  setRateLimitHeaders(response, state);
  if (!decision.allowed) {
    refuseRateLimited(response, state);
    return false;
  }
  state.points += extra;
  return true;
}
