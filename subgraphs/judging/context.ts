// The judging subgraph's request context: the caller, its loaders and the services that apply the rules.
import { DataSource } from "typeorm";
import { RequestContext } from "../../lib/context";
import { AssignmentService } from "./assignment/assignment.service";
import { AwardService } from "./award/award.service";
import { JudgeService } from "./judge/judge.service";
import { LeaderboardService } from "./leaderboard/leaderboard.service";
import { createJudgingLoaders, JudgingLoaders } from "./loaders";
import { RoundService } from "./round/round.service";
import { ScoreService } from "./score/score.service";

export interface JudgingContext extends RequestContext {
  loaders: JudgingLoaders;
  judges: JudgeService;
  rounds: RoundService;
  assignments: AssignmentService;
  scores: ScoreService;
  leaderboards: LeaderboardService;
  awards: AwardService;
}

export function createJudgingContext(request: RequestContext, dataSource: DataSource): JudgingContext {
  const loaders = createJudgingLoaders(dataSource, request.viewer);
  const rounds = new RoundService(dataSource, loaders, request);
  return {
    ...request,
    loaders,
    judges: new JudgeService(dataSource, loaders, request),
    rounds,
    assignments: new AssignmentService(dataSource, loaders, request, rounds),
    scores: new ScoreService(dataSource, loaders, request, rounds),
    leaderboards: new LeaderboardService(dataSource, rounds),
    awards: new AwardService(dataSource, loaders, request, rounds),
  };
}
