// GraphQL over HTTP as a client sends it, and tokens for each role.
import { randomUUID } from "node:crypto";
import { Role, signToken } from "../../lib/auth";
import { trackStatements } from "../../lib/database";
import { REQUEST_ID_HEADER } from "../../lib/request-context";
import { subgraphSecretHeaders } from "../../lib/subgraph-secret";

export interface GraphqlResponse<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] | undefined;
  extensions?: Record<string, any>;
  headers: Headers;
}

export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; token?: string; headers?: Record<string, string>; withoutSubgraphSecret?: boolean } = {},
): Promise<GraphqlResponse<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      // Tests stand in for the gateway when they call a subgraph; the gateway ignores the header.
      ...(options.withoutSubgraphSecret ? {} : subgraphSecretHeaders()),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const text = await response.text();
  let body: { data?: T | null; errors?: GraphqlResponse["errors"]; extensions?: Record<string, any> } = {};
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Not JSON (status ${response.status}): ${text.slice(0, 500)}`);
  }
  return { status: response.status, data: body.data, errors: body.errors, extensions: body.extensions, headers: response.headers };
}

/** The codes of a response's errors, for assertions. */
export const errorCodes = (response: GraphqlResponse) => (response.errors ?? []).map((error) => error.extensions?.code);

export interface TokenOptions {
  role: Role | keyof typeof Role;
  org?: string;
  venues?: string[];
  judge?: string;
  sub?: string;
  ttlSeconds?: number;
}

/** A valid token for the test configuration's secret. */
export function tokenFor(options: TokenOptions): string {
  return signToken(
    { sub: options.sub ?? `test:${options.role}`, role: options.role as Role, org: options.org, venues: options.venues, judge: options.judge },
    options.ttlSeconds,
  ).token;
}

/** Sends `_entities` straight to a subgraph, as an attacker bypassing the gateway would. */
export function entities(url: string, representations: Record<string, unknown>[], selection: string, token?: string) {
  return graphql(url, `query($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`, {
    variables: { representations },
    token,
  });
}

/**
 * The SQL statements one request costs in every service it reaches: `run` sends the request with the given
 * headers, whose request id travels from the gateway to each subgraph (background work never counts).
 */
export async function statementsOf(run: (headers: Record<string, string>) => Promise<unknown>): Promise<number> {
  const requestId = `statements-${randomUUID()}`;
  const tracking = trackStatements(requestId);
  try {
    await run({ [REQUEST_ID_HEADER]: requestId });
  } catch (error) {
    tracking.stop();
    throw error;
  }
  return tracking.stop();
}
