// Responsible for e-mail addresses entered by several organisations: organisers list them (each organisation's
// own record side by side) and record whether they are one photographer (the per-theme limit counts them
// together) or different people (each organisation's entrant counts alone). Nobody else learns of them.
import { DataSource, In } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { badInput, notFound } from "../../../lib/errors";
import { decodeCursor, Page, pageFromRows, pageSize, PageArgs } from "../../../lib/pagination";
import { optionalText, requiredText } from "../../../lib/text";
import type { CompetitionService } from "../competition/competition.service";
import { entriesPolicy } from "../entries.visibility";
import { Entrant } from "../entry/entry.entity";
import { EntrantCollision } from "./entrant-collision.types";
import { collidingEntrants, collisionOf, collisions, countCollisions, EntrantCollisionResolution, lockEmail, recordResolution } from "./entrant.store";

export class EntrantCollisionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: RequestContext,
    private readonly competitions: CompetitionService,
  ) {}

  async list(unresolvedOnly: boolean, args: PageArgs): Promise<Page<EntrantCollision>> {
    entriesPolicy.assertCan(this.context, "entrant:collisions");
    const competition = await this.competitions.current();
    const first = pageSize(args.first);
    const after = args.after ? String(decodeCursor(args.after, 1)[0]) : null;
    const rows = first === 0 ? [] : await collisions(this.dataSource.manager, competition.id, unresolvedOnly, after, first + 1);
    const nodes = await this.withEntrants(competition.id, rows);
    return pageFromRows(
      nodes,
      first,
      (node) => [node.email],
      () => countCollisions(this.dataSource.manager, competition.id, unresolvedOnly),
    );
  }

  async resolve(email: string, resolution: EntrantCollisionResolution, note: string | null | undefined): Promise<EntrantCollision> {
    const viewer = entriesPolicy.assertCan(this.context, "entrant:collisions");
    const address = requiredText(email, "email", 320).toLowerCase();
    const text = optionalText(note, "note", 2000);
    const competition = await this.competitions.current();
    return this.dataSource.transaction(async (manager) => {
      await lockEmail(manager, competition.id, address);
      if (!(await collisionOf(manager, competition.id, address))) throw notFound("EntrantCollision", address);
      if (!Object.values(EntrantCollisionResolution).includes(resolution)) throw badInput("Unknown resolution.", { argument: "resolution" });
      await recordResolution(manager, competition.id, address, resolution, text, viewer.subject);
      const [node] = await this.withEntrants(competition.id, [(await collisionOf(manager, competition.id, address))!], manager);
      return node;
    });
  }

  private async withEntrants(
    competitionId: string,
    rows: Awaited<ReturnType<typeof collisions>>,
    manager = this.dataSource.manager,
  ): Promise<EntrantCollision[]> {
    if (rows.length === 0) return [];
    const records = await collidingEntrants(
      manager,
      competitionId,
      rows.map((row) => row.email),
    );
    const entrants = new Map((await manager.getRepository(Entrant).findBy({ id: In(records.map((record) => record.entrantId)) })).map((row) => [row.id, row]));
    return rows.map((row) => ({
      ...row,
      entrants: records
        .filter((record) => record.email === row.email)
        .map((record) => ({ organization: { id: record.organizationId }, entrant: entrants.get(record.entrantId)!, entries: record.entries })),
    }));
  }
}
