// Enforces the operation limits at the gateway, after the body is read and before Apollo parses, validates and
// plans the operation — so a refused operation costs no parse by Apollo, no validation (whose field-merging check
// is quadratic on hostile documents) and no subgraph request. It runs on every request, cached documents included,
// since the cost depends on the variables and the limits on the caller.
//
// Why not an Apollo plugin: Apollo turns an error thrown before `didResolveOperation` into a masked 500, and
// `didResolveOperation` comes after validation.
import type { RequestHandler } from "express";
import type { GraphQLSchema } from "graphql";
import type { Viewer } from "../../lib/auth";
import { requestContextFrom } from "../../lib/context";
import { checkAndMeasureOperation, limitsFor, OperationLimitSettings } from "./check-operation";

/** The operation of a GET (query string, variables as JSON) or POST (JSON body or multipart `operations`) request. */
function operationOf(
  request: Parameters<RequestHandler>[0],
): { query: string; operationName?: string | null; variables?: Record<string, unknown> | null } | undefined {
  const source = (request.method === "GET" ? request.query : request.body) as Record<string, unknown> | undefined;
  if (!source || typeof source !== "object" || Array.isArray(source) || typeof source.query !== "string") return undefined;
  let variables = source.variables;
  if (typeof variables === "string") {
    try {
      variables = JSON.parse(variables);
    } catch {
      return undefined;
    }
  }
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) return undefined;
  return {
    query: source.query,
    operationName: typeof source.operationName === "string" ? source.operationName : undefined,
    variables: variables as Record<string, unknown> | null | undefined,
  };
}

function viewerOf(request: Parameters<RequestHandler>[0]): Viewer | undefined {
  try {
    return requestContextFrom(request).viewer;
  } catch {
    // A bad token: Apollo's context refuses it with UNAUTHENTICATED; until then, the lowest limits apply.
    return undefined;
  }
}

/** Charges the operation's estimated cost to the caller's budget; false when it answered the refusal itself. */
export type CostCharger = (request: Parameters<RequestHandler>[0], response: Parameters<RequestHandler>[1], cost: number) => Promise<boolean>;

export function operationLimitsMiddleware(settings: OperationLimitSettings, schema: () => GraphQLSchema | undefined, chargeCost?: CostCharger): RequestHandler {
  return (request, response, next) => {
    const operation = operationOf(request);
    const apiSchema = schema();
    // Anything malformed is left to Apollo, which refuses it with its own code.
    if (!operation || !apiSchema) return next();
    const { error, cost } = checkAndMeasureOperation(operation, limitsFor(settings, viewerOf(request)), apiSchema);
    if (error) {
      response.status(400).json({ errors: [{ message: error.message, extensions: error.extensions }] });
      return;
    }
    if (cost === undefined || !chargeCost) return next();
    chargeCost(request, response, cost).then((admitted) => admitted && next(), next);
  };
}
