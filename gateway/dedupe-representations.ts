// The Node gateway sends one representation per entity it needs, repeats included: an exhibition page of 100 works
// from 40 venues asks the venues subgraph for 100 venues. Each repeat costs the subgraph a resolution and the
// JSON both ways, though its DataLoader reads the row once. This sends each distinct representation once and
// copies the answer back to every position that asked for it, errors included, so the gateway sees the same
// `_entities` it would have received.
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";

interface EntitiesRequest {
  variables?: Record<string, unknown>;
}

/** Calls `send` with the distinct representations only, and expands its answer to the original positions. */
export async function withDistinctRepresentations<O extends { request: EntitiesRequest }>(
  options: O,
  send: (options: O) => Promise<GatewayGraphQLResponse>,
): Promise<GatewayGraphQLResponse> {
  const representations = options.request.variables?.representations;
  if (!Array.isArray(representations) || representations.length < 2) return send(options);
  const distinct: unknown[] = [];
  const slotOf: number[] = [];
  const slots = new Map<string, number>();
  for (const representation of representations) {
    const key = JSON.stringify(representation);
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = distinct.length;
      slots.set(key, slot);
      distinct.push(representation);
    }
    slotOf.push(slot);
  }
  if (distinct.length === representations.length) return send(options);

  const response = await send({ ...options, request: { ...options.request, variables: { ...options.request.variables, representations: distinct } } });
  const entities = (response.data as { _entities?: unknown } | null | undefined)?._entities;
  // Anything but one answer per distinct representation is left for the gateway to report as it would.
  if (!Array.isArray(entities) || entities.length !== distinct.length) return response;
  const used = new Set<number>();
  const expanded = slotOf.map((slot) => {
    // The first position gets the object itself, the others a copy: the gateway merges later fetches into each.
    if (!used.has(slot)) {
      used.add(slot);
      return entities[slot];
    }
    return entities[slot] === null || typeof entities[slot] !== "object" ? entities[slot] : structuredClone(entities[slot]);
  });
  const positionsOf = new Map<number, number[]>();
  slotOf.forEach((slot, position) => positionsOf.set(slot, [...(positionsOf.get(slot) ?? []), position]));
  const errors = response.errors?.flatMap((error) => {
    const path = error.path;
    if (!path || path[0] !== "_entities" || typeof path[1] !== "number") return [error];
    return (positionsOf.get(path[1]) ?? [path[1]]).map((position) => ({ ...error, path: ["_entities", position, ...path.slice(2)] }));
  });
  return { ...response, data: { ...response.data, _entities: expanded }, ...(errors ? { errors } : {}) };
}
