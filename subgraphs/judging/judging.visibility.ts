// Who may see and do what in the judging subgraph: the one file that decides it. Services call
// `judgingPolicy.assertCan(context, action)` and the predicates below; they never compare roles themselves.
//
// In short:
// - organisers: everything (rounds, assignments, every score, leaderboards, unpublished awards, judges' e-mail);
// - a JUDGE: their own assignments in rounds that are open or closed, their own scores and progress, their own
//   judge record; nothing of other judges' scores; round details that hint at where entries come from (division,
//   quorum, seed, …) are null for them; the entries they are assigned are blind (the entries subgraph's rule);
// - everyone, judges included: published awards. A published award makes its entry public, so filtering
//   awards by venue or division (awards(venueId|divisionId), Venue.awards, Award.division) tells a judge
//   nothing a request without a token does not; unpublished awards are for organisers only;
// - nobody but organisers: leaderboards (they rank by division and theme), judging progress, assignment lists.
import { Role, Viewer } from "../../lib/auth";
import { definePolicy, isJudgeViewer, isOrganizerViewer } from "../../lib/policy";

const { ORGANIZER, JUDGE } = Role;

export const judgingPolicy = definePolicy({
  /** Create, update, open and close rounds; list rounds; read progress and leaderboards. */
  "round:manage": [ORGANIZER],
  /** Plan, add, remove and move assignments; stand an entry down. */
  "assignment:manage": [ORGANIZER],
  /** Step aside from an assignment (a judge their own, an organiser any). */
  "assignment:recuse": [JUDGE, ORGANIZER],
  /** myAssignments. */
  "assignment:list-own": [JUDGE],
  /** Create and update judges and their logins; list judges. */
  "judge:manage": [ORGANIZER],
  /** myJudge. */
  "judge:read-own": [JUDGE],
  /** submitScore. */
  "score:submit": [JUDGE],
  /** myJudgingProgress. */
  "score:read-own-progress": [JUDGE],
  /** Propose, add, update, remove, publish and unpublish awards. */
  "award:manage": [ORGANIZER],
  /** awards(includeUnpublished: true) and Award.round. */
  "award:read-unpublished": [ORGANIZER],
});

/** Organisers see everything; anyone else is limited by the rules below. */
export const seesEverything = (viewer: Viewer | undefined): boolean => isOrganizerViewer(viewer);

/** The judge a token speaks for, when it is a judge token. */
export const viewerJudgeId = (viewer: Viewer | undefined): string | undefined => (isJudgeViewer(viewer) ? viewer.judgeId : undefined);

/** An assignment (and its score) is visible to organisers and to the judge it belongs to. */
export function maySeeAssignment(viewer: Viewer | undefined, assignment: { judgeId: string }): boolean {
  return seesEverything(viewer) || viewerJudgeId(viewer) === assignment.judgeId;
}

/** A judge record: organisers any, a judge their own. */
export function maySeeJudge(viewer: Viewer | undefined, judge: { id: string }): boolean {
  return seesEverything(viewer) || viewerJudgeId(viewer) === judge.id;
}

/** A judge's e-mail: organisers only. */
export const maySeeJudgeContact = (viewer: Viewer | undefined): boolean => seesEverything(viewer);

/** Round details that hint at where entries come from (division, quorum, seed, cap, previous round): organisers only. */
export const maySeeRoundDetail = (viewer: Viewer | undefined): boolean => seesEverything(viewer);

/** Judges may recuse only while the round is open; organisers also before. */
export const recusalNeedsOpenRound = (viewer: Viewer): boolean => isJudgeViewer(viewer);

/** SQL condition on `award` for the awards the viewer may see: organisers all, everyone else published ones. */
export const visibleAwardsSql = (viewer: Viewer | undefined): string => (seesEverything(viewer) ? "TRUE" : "award.published_at IS NOT NULL");

/** Scores the viewer may read on entries: "all", only a judge's own (their id), or none. */
export function visibleScores(viewer: Viewer | undefined): { all: true } | { judgeId: string } | null {
  if (seesEverything(viewer)) return { all: true };
  const judgeId = viewerJudgeId(viewer);
  return judgeId ? { judgeId } : null;
}
