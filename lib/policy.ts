// Declarative role gates: each subgraph writes its table of actions and the roles that may perform them in its
// <name>.visibility.ts, and services call `assertCan(context, "round:open")` before they touch storage. The table,
// not a comparison in a service, is where a reader learns who may do what.
import { Role, Viewer } from "./auth";
import type { RequestContext } from "./context";
import { forbidden, unauthenticated } from "./errors";

/** Who may perform an action: the roles that may, and optionally a sentence for the FORBIDDEN message. */
export type ActionRule = readonly Role[];

export interface Policy<Action extends string> {
  /** The table itself, for documentation and tests. */
  readonly rules: Readonly<Record<Action, ActionRule>>;
  /** Whether the caller (undefined: the public) may perform the action. */
  can(viewer: Viewer | undefined, action: Action): boolean;
  /** The caller, when it may perform the action; UNAUTHENTICATED without a token, FORBIDDEN with a role that may not. */
  assertCan(context: Pick<RequestContext, "viewer">, action: Action): Viewer;
}

export function definePolicy<Action extends string>(rules: Record<Action, ActionRule>): Policy<Action> {
  return {
    rules,
    can: (viewer, action) => viewer !== undefined && rules[action].includes(viewer.role),
    assertCan(context, action) {
      const viewer = context.viewer;
      if (!viewer) throw unauthenticated();
      const allowed = rules[action];
      if (!allowed.includes(viewer.role)) {
        throw forbidden(`${action} needs one of these roles: ${allowed.join(", ")}; your token has ${viewer.role}.`);
      }
      return viewer;
    },
  };
}

/** Role predicates for the visibility modules (the only files that compare roles). */
export const isOrganizerViewer = (viewer: Viewer | undefined): boolean => viewer?.role === Role.ORGANIZER;
export const isJudgeViewer = (viewer: Viewer | undefined): viewer is Viewer & { judgeId: string } => viewer?.role === Role.JUDGE && !!viewer.judgeId;
export const isPartnerViewer = (viewer: Viewer | undefined): boolean => viewer?.role === Role.PARTNER;
export const isVenueViewer = (viewer: Viewer | undefined): boolean => viewer?.role === Role.VENUE;
