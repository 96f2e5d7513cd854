// The judging subgraph: judges, rounds, assignments, scores with their log, leaderboards and awards.
import "reflect-metadata";
import { buildTypeGraphqlSubgraph } from "../../lib/subgraph-schema";
import { runSubgraphStandalone, SubgraphDefinition } from "../../lib/subgraph-service";
import { migrationsBySubgraph } from "../../migrations";
import { Assignment } from "./assignment/assignment.entity";
import { AssignmentResolver } from "./assignment/assignment.resolver";
import { Award } from "./award/award.entity";
import { AwardResolver } from "./award/award.resolver";
import { createJudgingContext, JudgingContext } from "./context";
import { judgingSubscriptions } from "./judging.events";
import { EntryJudgingResolver } from "./entry/entry.resolver";
import { Judge } from "./judge/judge.entity";
import { JudgeResolver } from "./judge/judge.resolver";
import { LeaderboardResolver } from "./leaderboard/leaderboard.resolver";
import { judgingReferenceResolvers } from "./references";
import { JudgingRound, RoundEntry, RoundJudge } from "./round/round.entity";
import { RoundResolver } from "./round/round.resolver";
import { Score, ScoreEvent } from "./score/score.entity";
import { ScoreEventResolver, ScoreResolver } from "./score/score.resolver";
import { VenueAwardsResolver } from "./venue/venue.resolver";

export const judgingSubgraph: SubgraphDefinition<JudgingContext> = {
  name: "judging",
  entities: [Judge, JudgingRound, RoundEntry, RoundJudge, Assignment, Score, ScoreEvent, Award],
  migrations: migrationsBySubgraph.judging,
  buildSchema: () =>
    buildTypeGraphqlSubgraph({
      resolvers: [
        JudgeResolver,
        RoundResolver,
        AssignmentResolver,
        ScoreResolver,
        ScoreEventResolver,
        LeaderboardResolver,
        AwardResolver,
        EntryJudgingResolver,
        VenueAwardsResolver,
      ],
      referenceResolvers: judgingReferenceResolvers,
    }),
  createContext: createJudgingContext,
  publishesEvents: true,
  subscriptions: judgingSubscriptions,
};

if (require.main === module) runSubgraphStandalone(judgingSubgraph);
