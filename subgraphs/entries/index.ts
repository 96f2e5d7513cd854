// The entries subgraph: the competition, its themes, entries, entrants and their media.
import "reflect-metadata";
import { multipartRequests } from "../../lib/multipart-requests";
import { config } from "../../lib/config";
import { buildTypeGraphqlSubgraph } from "../../lib/subgraph-schema";
import { runSubgraphStandalone, SubgraphDefinition } from "../../lib/subgraph-service";
import { migrationsBySubgraph } from "../../migrations";
import { Competition, Theme } from "./competition/competition.entity";
import { CompetitionResolver, ThemeResolver } from "./competition/competition.resolver";
import { createEntriesContext, EntriesContext } from "./context";
import { Entrant, Entry, EntryGrant, MicroVideo, Photo, VideoRenditionFile } from "./entry/entry.entity";
import { EntryResolver } from "./entry/entry.resolver";
import { EntryMediaResolver, MicroVideoResolver, PhotoResolver } from "./entry/entry-media.resolver";
import { serveMedia } from "./media/media-route";
import { mediaStorage, mediaTempRoot } from "./media/media-store";
import { sweepMedia } from "./media/media-sweeper";
import { startWorker } from "../../lib/worker";
import { MediaUploadResolver } from "./media-upload/media-upload.resolver";
import { uploadPartRoute } from "./media-upload/upload-part.route";
import { startUploadCheckWorker } from "./media-upload/upload-check.worker";
import { entriesSubscriptions } from "./entries.events";
import { exportEntriesRoute } from "./entry/entry-export.route";
import { EntryFactResolver } from "./entry/entry-fact.resolver";
import { entriesReferenceResolvers } from "./references";
import { VenueEntriesResolver } from "./venue/venue.resolver";
import { startVideoRenditionWorker } from "./video-rendition/video-rendition.worker";
import { EntrantCollisionResolver } from "./entrant/entrant-collision.resolver";

export const entriesSubgraph: SubgraphDefinition<EntriesContext> = {
  name: "entries",
  entities: [Competition, Theme, Entrant, Entry, Photo, MicroVideo, VideoRenditionFile, EntryGrant],
  migrations: migrationsBySubgraph.entries,
  buildSchema: () =>
    buildTypeGraphqlSubgraph({
      resolvers: [
        CompetitionResolver,
        ThemeResolver,
        EntryResolver,
        EntryMediaResolver,
        PhotoResolver,
        MicroVideoResolver,
        EntryFactResolver,
        VenueEntriesResolver,
        EntrantCollisionResolver,
        MediaUploadResolver,
      ],
      referenceResolvers: entriesReferenceResolvers,
    }),
  createContext: createEntriesContext,
  // Multipart requests (GraphQL multipart request spec): files are streamed to disk, limits apply while they arrive.
  before: () => [multipartRequests()],
  background: (dataSource) => [
    startVideoRenditionWorker(dataSource),
    startUploadCheckWorker(dataSource),
    startWorker(
      "media sweeper",
      async () => {
        const report = await sweepMedia(dataSource, mediaStorage(), { graceSeconds: config().mediaUploads.sweepGraceSeconds, tempRoot: mediaTempRoot() });
        return report.removedOrphans.length + report.expiredUploads + report.removedTempFiles.length;
      },
      () => config().mediaUploads.sweepIntervalMs,
    ),
  ],
  // entry.* events and entry-grants.applied acknowledgements; grant requests from exhibitions and judging.
  publishesEvents: true,
  subscriptions: entriesSubscriptions,
  routes: (app, dataSource) => {
    app.get("/media/*path", (request, response, next) => serveMedia(request, response).catch(next));
    app.get(
      "/exports/entries.csv",
      exportEntriesRoute(() => dataSource),
    );
    app.put("/uploads/:uploadId/parts/:partNumber", (request, response, next) => uploadPartRoute(() => dataSource)(request, response).catch(next));
  },
};

if (require.main === module) runSubgraphStandalone(entriesSubgraph);
