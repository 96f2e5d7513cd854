// Responsible for public interaction with works on show: likes (one per visitor per work, exact under concurrency,
// never below zero), views, and the per-address hourly limits that keep both from being inflated.
import { DataSource } from "typeorm";
import { badInput, conflict, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { ExhibitedWork } from "../exhibited-work/exhibited-work.entity";
import type { ExhibitionsLoaders } from "../loaders";
import { RequestContext, VISITOR_ID_HEADER } from "../../../lib/context";
import { consumeVisitorAllowance, VisitorAction } from "./visitor-rate.limiter";

const VISITOR_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Works that accept likes and views: on public show in a published exhibition (their entry's grant applied). */
const LIKEABLE_WORK = `
  SELECT work.id FROM exhibitions.exhibited_work work
    JOIN exhibitions.exhibition exhibition ON exhibition.id = work.exhibition_id
   WHERE work.id = $1 AND work.removed_at IS NULL AND exhibition.status = 'PUBLISHED' AND work.grant_version <= exhibition.grants_applied`;

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
    const [{ found }] = await this.dataSource.query(
      `WITH target AS (${LIKEABLE_WORK}),
            inserted AS (INSERT INTO exhibitions.work_like (work_id, visitor_id) SELECT id, $2 FROM target ON CONFLICT DO NOTHING RETURNING work_id),
            counted AS (UPDATE exhibitions.exhibited_work work SET like_count = work.like_count + 1 FROM inserted WHERE work.id = inserted.work_id RETURNING work.id)
       SELECT EXISTS (SELECT 1 FROM target) AS found, (SELECT count(*) FROM counted)::int AS changed`,
      [workId, visitorId],
    );
    return this.result(workId, found, id);
  }

  /** Takes the visitor's like back, if there was one; the count never goes below zero. */
  async unlike(id: string, visitorIdArgument: string | null | undefined): Promise<ExhibitedWork> {
    const workId = parseId(id, "workId");
    const visitorId = this.visitorId(visitorIdArgument);
    await consumeVisitorAllowance(this.dataSource, VisitorAction.LIKE, this.request.clientIp);
    const [{ found }] = await this.dataSource.query(
      `WITH target AS (${LIKEABLE_WORK}),
            deleted AS (DELETE FROM exhibitions.work_like liked USING target WHERE liked.work_id = target.id AND liked.visitor_id = $2 RETURNING liked.work_id),
            counted AS (UPDATE exhibitions.exhibited_work work SET like_count = GREATEST(work.like_count - 1, 0) FROM deleted WHERE work.id = deleted.work_id RETURNING work.id)
       SELECT EXISTS (SELECT 1 FROM target) AS found, (SELECT count(*) FROM counted)::int AS changed`,
      [workId, visitorId],
    );
    return this.result(workId, found, id);
  }

  /** Counts one view of a work on show. */
  async recordView(id: string): Promise<ExhibitedWork> {
    const workId = parseId(id, "workId");
    await consumeVisitorAllowance(this.dataSource, VisitorAction.VIEW, this.request.clientIp);
    const [{ found }] = await this.dataSource.query(
      `WITH target AS (${LIKEABLE_WORK}),
            counted AS (UPDATE exhibitions.exhibited_work work SET view_count = work.view_count + 1 FROM target WHERE work.id = target.id RETURNING work.id)
       SELECT EXISTS (SELECT 1 FROM counted) AS found`,
      [workId],
    );
    return this.result(workId, found, id);
  }
}
