// The exhibitions subgraph's per-request DataLoaders; every one that reads exhibitions applies the caller's visibility,
// and every list (works, sections, host venues, Entry.exhibitions, Venue.exhibitions) is read for many parents in one statement.
import DataLoader from "dataloader";
import { DataSource, In } from "typeorm";
import type { Viewer } from "../../lib/auth";
import { badInput } from "../../lib/errors";
import { isUuid, wellFormedIds } from "../../lib/ids";
import { groupLoader, loaderPerArguments, rowLoader } from "../../lib/loaders";
import { decodeCursor, Page, pageFromRows, pageSize } from "../../lib/pagination";
import { ExhibitedWork } from "./exhibited-work/exhibited-work.entity";
import { ExhibitionSection } from "./exhibition-section/exhibition-section.entity";
import { Exhibition, ExhibitionHostVenue } from "./exhibition/exhibition.entity";
import { restrictToShownWorks, restrictToVisible } from "./exhibitions.visibility";

const SCHEMA = "exhibitions";

export interface WorksPageArgs {
  first: number | null;
  after: string | null;
  /** Only the works of this section (Exhibition.works(sectionId)). */
  sectionId: string | null;
}

/** Works are ordered by position; the id breaks ties while a reorder is being committed elsewhere. */
export const workCursor = (work: ExhibitedWork) => [work.position, work.id];

function decodeWorkCursor(after: string | null): [number, string] | undefined {
  if (!after) return undefined;
  const [position, id] = decodeCursor(after, 2);
  if (!Number.isInteger(position) || !isUuid(id)) throw badInput("`after` is not a cursor this list returned.", { argument: "after" });
  return [position as number, id as string];
}

export function createExhibitionsLoaders(dataSource: DataSource, viewer: Viewer | undefined) {
  const exhibitions = dataSource.getRepository(Exhibition);
  const works = dataSource.getRepository(ExhibitedWork);
  const visibleExhibitions = () => restrictToVisible(exhibitions.createQueryBuilder("exhibition"), "exhibition", viewer);

  /** Not scoped: only the language texts fall back to, for sections and works whose exhibition was already checked. */
  const defaultLocale = new DataLoader<string, string | undefined>(async (ids) => {
    const rows = await exhibitions.find({ select: { id: true, defaultLocale: true }, where: { id: In(wellFormedIds(ids)) } });
    const byId = new Map(rows.map((row) => [row.id, row.defaultLocale]));
    return ids.map((id) => byId.get(id));
  });
  const exhibition = rowLoader<string, Exhibition>(
    async (ids) => {
      const rows = await visibleExhibitions()
        .andWhere("exhibition.id = ANY(CAST(:ids AS uuid[]))", { ids: wellFormedIds(ids) })
        .getMany();
      for (const row of rows) defaultLocale.prime(row.id, row.defaultLocale);
      return rows;
    },
    (row) => row.id,
  );
  /** Rows loaded any other way are primed here, so their texts and references cost no further statement. */
  const remember = (rows: Exhibition[]): Exhibition[] => {
    for (const row of rows) {
      exhibition.prime(row.id, row);
      defaultLocale.prime(row.id, row.defaultLocale);
    }
    return rows;
  };
  const newestFirst = (rows: (Exhibition | undefined)[]) =>
    (rows.filter(Boolean) as Exhibition[]).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));

  /** One statement for the works pages of many parents (exhibitions or sections): rank each parent's rows, keep `first + 1`. */
  function worksPages(parent: "exhibitionId" | "sectionId", args: WorksPageArgs) {
    const first = pageSize(args.first);
    const after = decodeWorkCursor(args.after);
    const column = parent === "exhibitionId" ? "work.exhibition_id" : "work.section_id";
    return new DataLoader<string, Page<ExhibitedWork>>(async (parentIds) => {
      const base = works.createQueryBuilder("work").where(`${column} = ANY(CAST(:parentIds AS uuid[]))`, { parentIds: wellFormedIds(parentIds) });
      restrictToShownWorks(base, "work", viewer);
      if (args.sectionId) base.andWhere("work.section_id = :sectionId", { sectionId: args.sectionId });
      const totals = base.clone().select(column, "parentId").addSelect("count(*)::int", "count").groupBy(column);
      const ranked = base.clone().select("work.id", "id").addSelect(`row_number() OVER (PARTITION BY ${column} ORDER BY work.position, work.id)`, "rank");
      if (after) ranked.andWhere("(work.position, work.id) > (:afterPosition, :afterId)", { afterPosition: after[0], afterId: after[1] });
      const rows =
        first === 0
          ? []
          : await works
              .createQueryBuilder("work")
              .innerJoin(`(${ranked.getQuery()})`, "ranked", "ranked.id = work.id")
              .setParameters(ranked.getParameters())
              .where("ranked.rank <= :limit", { limit: first + 1 })
              .orderBy("work.position", "ASC")
              .addOrderBy("work.id", "ASC")
              .getMany();
      let counts: Promise<Map<string, number>> | undefined;
      const loadCounts = () =>
        (counts ??= totals.getRawMany<{ parentId: string; count: number }>().then((list) => new Map(list.map((row) => [row.parentId, row.count]))));
      return parentIds.map((parentId) =>
        pageFromRows(
          rows.filter((row) => row[parent] === parentId),
          first,
          workCursor,
          () => loadCounts().then((map) => map.get(parentId) ?? 0),
        ),
      );
    });
  }

  return {
    defaultLocale,
    /** Exhibitions the caller may see, by id; one it may not see loads as undefined. */
    exhibition,
    exhibitionBySlug: rowLoader<string, Exhibition>(
      (slugs) =>
        visibleExhibitions()
          .andWhere("exhibition.slug = ANY(:slugs)", { slugs: [...slugs] })
          .getMany()
          .then(remember),
      (row) => row.slug,
    ),
    remember,
    hostVenues: groupLoader<string, ExhibitionHostVenue>(
      (ids) => dataSource.getRepository(ExhibitionHostVenue).find({ where: { exhibitionId: In(wellFormedIds(ids)) }, order: { position: "ASC" } }),
      (row) => row.exhibitionId,
    ),
    sectionsByExhibition: groupLoader<string, ExhibitionSection>(
      (ids) => dataSource.getRepository(ExhibitionSection).find({ where: { exhibitionId: In(wellFormedIds(ids)) }, order: { position: "ASC" } }),
      (row) => row.exhibitionId,
    ),
    /** Works on show (not removed) in exhibitions the caller may see, by id. */
    work: rowLoader<string, ExhibitedWork>(
      (ids) =>
        restrictToShownWorks(
          restrictToVisible(works.createQueryBuilder("work").innerJoin(Exhibition, "exhibition", "exhibition.id = work.exhibition_id"), "exhibition", viewer),
          "work",
          viewer,
        )
          .andWhere("work.id = ANY(CAST(:ids AS uuid[]))", { ids: wellFormedIds(ids) })
          .getMany(),
      (row) => row.id,
    ),
    worksByExhibition: loaderPerArguments((args: WorksPageArgs) => worksPages("exhibitionId", args)),
    worksBySection: loaderPerArguments((args: Omit<WorksPageArgs, "sectionId">) => worksPages("sectionId", { ...args, sectionId: null })),
    /** `Entry.exhibitions`: the visible exhibitions showing each entry, newest first (two statements for any number of entries). */
    exhibitionsByEntry: new DataLoader<string, Exhibition[]>(async (entryIds) => {
      const rows: { entryId: string; exhibitionId: string }[] = await restrictToShownWorks(
        works
          .createQueryBuilder("work")
          .select("work.entry_id", "entryId")
          .addSelect("work.exhibition_id", "exhibitionId")
          .where("work.entry_id = ANY(CAST(:entryIds AS uuid[]))", { entryIds: wellFormedIds(entryIds) }),
        "work",
        viewer,
      ).getRawMany();
      const found = await exhibition.loadMany([...new Set(rows.map((row) => row.exhibitionId))]);
      const byId = new Map((found.filter((item) => item instanceof Exhibition) as Exhibition[]).map((row) => [row.id, row]));
      return entryIds.map((entryId) => newestFirst(rows.filter((row) => row.entryId === entryId).map((row) => byId.get(row.exhibitionId))));
    }),
    /** `Venue.exhibitions`: the visible exhibitions each venue hosts, newest first (two statements for any number of venues). */
    exhibitionsByVenue: new DataLoader<string, Exhibition[]>(async (venueIds) => {
      const rows = await dataSource.getRepository(ExhibitionHostVenue).find({ where: { venueId: In(wellFormedIds(venueIds)) } });
      const found = await exhibition.loadMany([...new Set(rows.map((row) => row.exhibitionId))]);
      const byId = new Map((found.filter((item) => item instanceof Exhibition) as Exhibition[]).map((row) => [row.id, row]));
      return venueIds.map((venueId) => newestFirst(rows.filter((row) => row.venueId === venueId).map((row) => byId.get(row.exhibitionId))));
    }),
    /** Which of the works a visitor has liked, per visitor id. */
    likedByVisitor: loaderPerArguments((visitorId: string) =>
      rowLoader<string, string>(
        async (workIds) =>
          (
            await dataSource.query(`SELECT work_id FROM ${SCHEMA}.work_like WHERE visitor_id = $1 AND work_id = ANY($2::uuid[])`, [
              visitorId,
              wellFormedIds(workIds),
            ])
          ).map((row: { work_id: string }) => row.work_id),
        (workId) => workId,
      ),
    ),
  };
}

export type ExhibitionsLoaders = ReturnType<typeof createExhibitionsLoaders>;
