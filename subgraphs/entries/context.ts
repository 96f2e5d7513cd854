// The entries subgraph's request context: the caller, its loaders and the services that apply the rules.
import { DataSource } from "typeorm";
import { RequestContext } from "../../lib/context";
import { CompetitionService } from "./competition/competition.service";
import { EntrantCollisionService } from "./entrant/entrant-collision.service";
import { EntryMediaService } from "./entry/entry-media.service";
import { EntryService } from "./entry/entry.service";
import { createEntriesLoaders, EntriesLoaders } from "./loaders";

export interface EntriesContext extends RequestContext {
  loaders: EntriesLoaders;
  competitions: CompetitionService;
  entries: EntryService;
  entryMedia: EntryMediaService;
  entrantCollisions: EntrantCollisionService;
}

export function createEntriesContext(request: RequestContext, dataSource: DataSource): EntriesContext {
  const loaders = createEntriesLoaders(dataSource, request.viewer);
  const competitions = new CompetitionService(dataSource, loaders);
  return {
    ...request,
    loaders,
    competitions,
    entries: new EntryService(dataSource, loaders, request, competitions),
    entryMedia: new EntryMediaService(dataSource, loaders, request, competitions),
    entrantCollisions: new EntrantCollisionService(dataSource, request, competitions),
  };
}
