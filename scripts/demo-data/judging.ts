// Demo judging, run through the judging subgraph's own services (the same rules as the API): a closed
// final round over all themes with three judges' scores per entry and published awards per theme and for
// the Portugal Division, and an open round of the Portugal Division where the demo judge has work to do.
import type { DataSource } from "typeorm";
import { Role, Viewer } from "../../lib/auth";
import { RequestContext } from "../../lib/context";
import { THEME_CODES } from "../../lib/themes";
import { createJudgingContext, JudgingContext } from "../../subgraphs/judging/context";
import { Judge } from "../../subgraphs/judging/judge/judge.entity";
import { RoundKind } from "../../subgraphs/judging/round/round.entity";
import { demoId, seededRandom } from "./random";
import { DEMO, DemoVenue } from "./venues";

const JUDGES = [
  { name: "Chen Yuan (demo judge)", email: "demo.judge@example.org", id: DEMO.demoJudgeId, affiliated: "CN-BEI-01" },
  { name: "Maria João Lopes", email: "mj.lopes@example.org", affiliated: "PT-LIS-EYE" },
  { name: "Liu Qing", email: "liu.qing@example.org", affiliated: "CN-SHA-01" },
  { name: "Hans Becker", email: "h.becker@example.org", affiliated: "DE-BER-01" },
  { name: "Akiko Mori", email: "a.mori@example.org", affiliated: null },
  { name: "Somsak Dee", email: "s.dee@example.org", affiliated: "TH-BKK-01" },
  { name: "Zhou Ming", email: "zhou.ming@example.org", affiliated: "CN-GUA-01" },
  { name: "Elena Marin", email: "e.marin@example.org", affiliated: null },
  { name: "Ahmed Fathy", email: "a.fathy@example.org", affiliated: "EG-CAI-01" },
];

function contextFor(dataSource: DataSource, viewer: Viewer): JudgingContext {
  const request: RequestContext = { viewer, requestId: "demo-data", locales: [], clientIp: undefined, visitorId: undefined };
  return createJudgingContext(request, dataSource);
}

/** Scores every assignment of a round (or a share of them) with values that depend on the entry and the judge. */
async function scoreRound(dataSource: DataSource, roundId: string, share: number, random: () => number): Promise<number> {
  const assignments: { entry_id: string; judge_id: string }[] = await dataSource.query(
    `SELECT entry_id, judge_id FROM judging.assignment WHERE round_id = $1 AND status = 'ASSIGNED' ORDER BY entry_id, judge_id`,
    [roundId],
  );
  let scored = 0;
  for (const assignment of assignments) {
    if (random() > share) continue;
    const quality = parseInt(assignment.entry_id.slice(0, 2), 16) / 255;
    const severity = (parseInt(assignment.judge_id.slice(0, 2), 16) / 255 - 0.5) * 2;
    const value = Math.min(10, Math.max(1, Math.round((3 + quality * 6 + severity + (random() - 0.5) * 2) * 2) / 2));
    const judge: Viewer = { subject: `demo:${assignment.judge_id}`, role: Role.JUDGE, venueIds: [], judgeId: assignment.judge_id };
    await contextFor(dataSource, judge).scores.submit({ roundId, entryId: assignment.entry_id, value } as never);
    scored += 1;
  }
  return scored;
}

export async function loadDemoJudging(dataSource: DataSource, venues: DemoVenue[]): Promise<{ scores: number; awards: number }> {
  const random = seededRandom(7);
  const venueByCode = new Map(venues.map((venue) => [venue.code, venue]));
  const judgeIds = JUDGES.map((judge) => judge.id ?? demoId(`judge:${judge.email}`));
  await dataSource.getRepository(Judge).insert(
    JUDGES.map((judge, index) => {
      const venue = judge.affiliated ? venueByCode.get(judge.affiliated) : undefined;
      return {
        id: judgeIds[index],
        name: judge.name,
        email: judge.email,
        organizationIds: venue ? [venue.organizationId] : [],
        venueIds: venue ? [venue.id] : [],
      };
    }),
  );
  // A fresh context per step, as each API request has its own (loaders cache within one request).
  const organizer = () => contextFor(dataSource, { subject: "demo:organizer", role: Role.ORGANIZER, venueIds: [] });

  // The final round: every submitted entry, three judges each, all scored, closed, awards published.
  const final = await organizer().rounds.create({ name: "Final jury", kind: RoundKind.SCORE, quorum: 3, scale: { min: 1, max: 10, step: 0.5 } } as never);
  await organizer().assignments.assign({ roundId: final.id, judgeIds: judgeIds.slice(1), quorum: 3, seed: "image-china-final" } as never);
  await organizer().rounds.open(final.id);
  let scores = await scoreRound(dataSource, final.id, 1, random);
  await organizer().rounds.close(final.id, true);
  let awards = 0;
  for (const theme of THEME_CODES) {
    awards += (await organizer().awards.propose({ roundId: final.id, theme } as never)).length;
    await organizer().awards.publish(theme, null);
    awards += (await organizer().awards.propose({ roundId: final.id, theme, divisionId: DEMO.portugalDivisionId } as never)).length;
    await organizer().awards.publish(theme, DEMO.portugalDivisionId);
  }

  // An open round of the Portugal Division in which the demo judge has assignments, some already scored.
  const open = await organizer().rounds.create({
    name: "Portugal Division — ceremony selection",
    kind: RoundKind.SCORE,
    divisionId: DEMO.portugalDivisionId,
    quorum: 3,
  } as never);
  await organizer().assignments.assign({
    roundId: open.id,
    judgeIds: [judgeIds[0], judgeIds[2], judgeIds[4], judgeIds[7]],
    quorum: 3,
    seed: "image-china-pt",
  } as never);
  await organizer().rounds.open(open.id);
  scores += await scoreRound(dataSource, open.id, 0.4, random);
  return { scores, awards };
}
