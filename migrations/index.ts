// Each subgraph's migrations, in order. One migrations table per subgraph schema.
import type { SubgraphName } from "../lib/config";
import { EntriesInitial1764288000000 } from "./entries/1764288000000-entries-initial";
import { EntriesMediaRules1764300000000 } from "./entries/1764300000000-entries-media-rules";
import { EntriesOutbox1764400000000 } from "./entries/1764400000000-entries-outbox";
import { EntriesVideoRenditions1764637300000 } from "./entries/1764637300000-entries-video-renditions";
import { EntriesMediaUploads1764650000000 } from "./entries/1764650000000-entries-media-uploads";
import { EntriesEntrantPerTenant1764700000000 } from "./entries/1764700000000-entries-entrant-per-tenant";
import { JudgingInitial1764460800000 } from "./judging/1764460800000-judging-initial";
import { JudgingScoreLogHeads1764633600000 } from "./judging/1764633600000-judging-score-log-heads";
import { ExhibitionsInitial1764374400000 } from "./exhibitions/1764374400000-exhibitions-initial";
import { ExhibitionsOutbox1764400000000 } from "./exhibitions/1764400000000-exhibitions-outbox";
import { EntriesOutboxTraceContext1764900000000 } from "./entries/1764900000000-entries-outbox-trace-context";
import { ExhibitionsOutboxTraceContext1764900000000 } from "./exhibitions/1764900000000-exhibitions-outbox-trace-context";
import { JudgingOutboxTraceContext1764900000000 } from "./judging/1764900000000-judging-outbox-trace-context";
import { JudgingJudgeStatistics1764950000000 } from "./judging/1764950000000-judging-judge-statistics";
import { EntriesEventFeeds1765000000000 } from "./entries/1765000000000-entries-event-feeds";
import { EntriesMediaUploadChecks1765100000000 } from "./entries/1765100000000-entries-media-upload-checks";
import { ExhibitionsEventFeeds1765000000000 } from "./exhibitions/1765000000000-exhibitions-event-feeds";
import { JudgingEventFeeds1765000000000 } from "./judging/1765000000000-judging-event-feeds";
import { JudgingRankingInput1765300000000 } from "./judging/1765300000000-judging-ranking-input";
import { VenuesEventFeeds1765000000000 } from "./venues/1765000000000-venues-event-feeds";
import { VenuesInitial1764288000000 } from "./venues/1764288000000-venues-initial";
import { VenuesPartnerIntegration1764400000000 } from "./venues/1764400000000-venues-partner-integration";
import { VenuesRegisteredOperations1764700000000 } from "./venues/1764700000000-venues-registered-operations";
import { VenuesOutbox1765200000000 } from "./venues/1765200000000-venues-outbox";

export const migrationsBySubgraph: Record<SubgraphName, Function[]> = {
  venues: [
    VenuesInitial1764288000000,
    VenuesPartnerIntegration1764400000000,
    VenuesRegisteredOperations1764700000000,
    VenuesEventFeeds1765000000000,
    VenuesOutbox1765200000000,
  ],
  entries: [
    EntriesInitial1764288000000,
    EntriesMediaRules1764300000000,
    EntriesOutbox1764400000000,
    EntriesVideoRenditions1764637300000,
    EntriesMediaUploads1764650000000,
    EntriesEntrantPerTenant1764700000000,
    EntriesOutboxTraceContext1764900000000,
    EntriesEventFeeds1765000000000,
    EntriesMediaUploadChecks1765100000000,
  ],
  judging: [
    JudgingInitial1764460800000,
    JudgingScoreLogHeads1764633600000,
    JudgingOutboxTraceContext1764900000000,
    JudgingJudgeStatistics1764950000000,
    JudgingEventFeeds1765000000000,
    JudgingRankingInput1765300000000,
  ],
  exhibitions: [
    ExhibitionsInitial1764374400000,
    ExhibitionsOutbox1764400000000,
    ExhibitionsOutboxTraceContext1764900000000,
    ExhibitionsEventFeeds1765000000000,
  ],
};
