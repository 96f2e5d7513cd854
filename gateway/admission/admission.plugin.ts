// What admission adds to every GraphQL answer, and the rule that overload never yields partial data.
//   - extensions.cost ({ estimated, points }) and extensions.rateLimit ({ limit, remaining, resetSeconds, perSecond })
//     beside the RateLimit-* headers, so partners can tune queries before they hit a limit;
//   - an answer where a subgraph shed its part for overload becomes a 503 with Retry-After and no data: a
//     partner must never take a half-empty page served with 200 for the real thing.
import type { ApolloServerPlugin } from "@apollo/server";
import type { GatewayContext } from "../context";
import { rateLimitExtension } from "./admission.middleware";

export const OVERLOADED = "OVERLOADED";

export function admissionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          const overloaded = result.errors?.find((error) => error.extensions?.reason === OVERLOADED);
          if (overloaded) {
            const retryAfter = Number(overloaded.extensions?.retryAfterSeconds ?? 1);
            response.http.status = 503;
            response.http.headers.set("retry-after", String(retryAfter));
            response.body.singleResult = {
              errors: [
                {
                  message: "The service is at capacity; nothing of this request was answered. Retry shortly.",
                  extensions: { code: "SERVICE_UNAVAILABLE", reason: OVERLOADED, retryAfterSeconds: retryAfter },
                },
              ],
            };
          }
          const state = contextValue?.admission;
          if (state) {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              cost: { estimated: state.cost ?? null, points: state.points },
              rateLimit: rateLimitExtension(state),
            };
          }
        },
      };
    },
  };
}
