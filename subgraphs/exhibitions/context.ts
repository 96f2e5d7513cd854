// The exhibitions subgraph's request context: the caller, its loaders and the services that apply the rules.
import { DataSource } from "typeorm";
import { RequestContext } from "../../lib/context";
import { ExhibitedWorkService } from "./exhibited-work/exhibited-work.service";
import { ExhibitionSectionService } from "./exhibition-section/exhibition-section.service";
import { ExhibitionService } from "./exhibition/exhibition.service";
import { createExhibitionsLoaders, ExhibitionsLoaders } from "./loaders";
import { WorkLikeService } from "./work-like/work-like.service";

export interface ExhibitionsContext extends RequestContext {
  loaders: ExhibitionsLoaders;
  exhibitions: ExhibitionService;
  sections: ExhibitionSectionService;
  works: ExhibitedWorkService;
  likes: WorkLikeService;
}

export function createExhibitionsContext(request: RequestContext, dataSource: DataSource): ExhibitionsContext {
  const loaders = createExhibitionsLoaders(dataSource, request.viewer);
  const exhibitions = new ExhibitionService(dataSource, loaders, request);
  return {
    ...request,
    loaders,
    exhibitions,
    sections: new ExhibitionSectionService(dataSource, loaders, exhibitions),
    works: new ExhibitedWorkService(dataSource, loaders, request, exhibitions),
    likes: new WorkLikeService(dataSource, loaders, request),
  };
}
