// Responsible for public interaction with works on show: likes (one per visitor per work, exact under concurrency,
// never below zero), views, and the per-address hourly limits that keep both from being inflated. SQL: work-like.store.ts.
import { DataSource } from "typeorm";
import { badInput, conflict, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { ExhibitedWork } from "../exhibited-work/exhibited-work.entity";
import type { ExhibitionsLoaders } from "../loaders";
import { RequestContext, VISITOR_ID_HEADER } from "../../../lib/context";
import { consumeVisitorAllowance, VisitorAction } from "./visitor-rate.limiter";
import { countView, deleteLike, insertLike } from "./work-like.store";

const VISITOR_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export class WorkLikeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: ExhibitionsLoaders,
    private readonly request: RequestContext,
  ) {}

  /** The visitor id: the argument, else the `x-visitor-id` header; without one, BAD_USER_INPUT. */
  private visitorId(argument: string | null | undefined): string {
    const value = argument ?? this.request.visitorId;
    if (value === undefined || value === null) {
      throw badInput(`A visitor id is needed: pass visitorId or the ${VISITOR_ID_HEADER} header (e.g. a UUID kept in the visitor's cookie).`, {
        argument: "visitorId",
      });
    }
    if (!VISITOR_ID.test(value)) throw badInput("visitorId must be 8 to 128 letters, digits, dots, dashes, underscores or colons.", { argument: "visitorId" });
    return value;
  }

  /** The work after the change; one the caller cannot see is NOT_FOUND, one it sees but not on public show is CONFLICT. */
  private async result(workId: string, found: boolean, id: string): Promise<ExhibitedWork> {
    if (!found) {
      if (await this.loaders.work.load(workId)) throw conflict("Only works in published exhibitions can be liked or viewed.");
      throw notFound("Work", id);
    }
    return this.dataSource.getRepository(ExhibitedWork).findOneByOrFail({ id: workId });
  }

  /**
   * Likes a work once per visitor. The like row and the count change in one statement: the count moves only when
   * a row was inserted, so repeated or concurrent requests cannot inflate it.
   */
  async like(id: string, visitorIdArgument: string | null | undefined): Promise<ExhibitedWork> {
    const workId = parseId(id, "workId");
    const visitorId = this.visitorId(visitorIdArgument);
    await consumeVisitorAllowance(this.dataSource, VisitorAction.LIKE, this.request.clientIp);
    const found = await insertLike(this.dataSource, workId, visitorId);
    return this.result(workId, found, id);
  }

  /** Takes the visitor's like back, if there was one; the count never goes below zero. */
  async unlike(id: string, visitorIdArgument: string | null | undefined): Promise<ExhibitedWork> {
    const workId = parseId(id, "workId");
    const visitorId = this.visitorId(visitorIdArgument);
    await consumeVisitorAllowance(this.dataSource, VisitorAction.LIKE, this.request.clientIp);
    const found = await deleteLike(this.dataSource, workId, visitorId);
    return this.result(workId, found, id);
  }

  /** Counts one view of a work on show. */
  async recordView(id: string): Promise<ExhibitedWork> {
    const workId = parseId(id, "workId");
    await consumeVisitorAllowance(this.dataSource, VisitorAction.VIEW, this.request.clientIp);
    const found = await countView(this.dataSource, workId);
    return this.result(workId, found, id);
  }
}
