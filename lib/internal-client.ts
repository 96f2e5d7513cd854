// Calls another subgraph's API directly (not through the gateway) with a short-lived service token,
// e.g. the judging subgraph telling the entries subgraph which entries became public.
import { serviceToken } from "./auth";
import { config, SubgraphName } from "./config";
import { logger } from "./logger";
import { subgraphSecretHeaders } from "./subgraph-secret";
import { currentRequestScope, REQUEST_ID_HEADER } from "./request-context";
import { traceHeaders } from "./telemetry";
import { assertNoOpenTransaction } from "./transaction-scope";

export class InternalCallError extends Error {}

export async function callSubgraph<T>(caller: string, target: SubgraphName, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  assertNoOpenTransaction(target);
  const url = config().subgraphUrls[target];
  const requestId = currentRequestScope()?.requestId;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...subgraphSecretHeaders(),
        authorization: `Bearer ${serviceToken(caller)}`,
        ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
        ...traceHeaders(),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    logger.error("internal call failed", { target, error });
    throw new InternalCallError(`The ${target} service could not be reached.`);
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length || !body.data) {
    logger.error("internal call returned errors", { target, status: response.status, errors: body.errors });
    throw new InternalCallError(`The ${target} service refused the call: ${body.errors?.[0]?.message ?? response.status}`);
  }
  return body.data;
}
