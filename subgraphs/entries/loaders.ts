// The entries subgraph's per-request DataLoaders; every one applies the caller's visibility where entries are read.
import DataLoader from "dataloader";
import { DataSource, In } from "typeorm";
import type { Viewer } from "../../lib/auth";
import { wellFormedIds } from "../../lib/ids";
import { groupLoader, loaderPerArguments, rowLoader } from "../../lib/loaders";
import { decodeCursor, Page, pageFromRows, pageSize } from "../../lib/pagination";
import { Competition, Theme } from "./competition/competition.entity";
import { Entrant, Entry, EntryStatus, MicroVideo, Photo, VideoRenditionFile } from "./entry/entry.entity";
import { restrictToVisible } from "./entries.visibility";

export interface VenueEntriesArgs {
  status: EntryStatus | null;
  first: number | null;
  after: string | null;
}

export const entryCursor = (entry: Entry) => [entry.createdAt.toISOString(), entry.id];

export function createEntriesLoaders(dataSource: DataSource, viewer: Viewer | undefined) {
  const entries = dataSource.getRepository(Entry);
  const visibleEntries = () => restrictToVisible(entries.createQueryBuilder("entry"), "entry", viewer);

  return {
    currentCompetition: new DataLoader<"current", Competition | undefined>(async (keys) => {
      const [competition] = await dataSource.getRepository(Competition).find({ order: { createdAt: "DESC" }, take: 1 });
      return keys.map(() => competition);
    }),
    competition: rowLoader<string, Competition>(
      (ids) => dataSource.getRepository(Competition).findBy({ id: In(wellFormedIds(ids)) }),
      (row) => row.id,
    ),
    themesByCompetition: groupLoader<string, Theme>(
      (ids) => dataSource.getRepository(Theme).find({ where: { competitionId: In(wellFormedIds(ids)) }, order: { position: "ASC" } }),
      (row) => row.competitionId,
    ),
    /** Entries the caller may see, by id; an entry it may not see loads as undefined. */
    entry: rowLoader<string, Entry>(
      (ids) =>
        visibleEntries()
          .andWhere("entry.id = ANY(CAST(:ids AS uuid[]))", { ids: wellFormedIds(ids) })
          .getMany(),
      (row) => row.id,
    ),
    entrant: rowLoader<string, Entrant>(
      (ids) => dataSource.getRepository(Entrant).findBy({ id: In(wellFormedIds(ids)) }),
      (row) => row.id,
    ),
    photosByEntry: groupLoader<string, Photo>(
      (ids) => dataSource.getRepository(Photo).find({ where: { entryId: In([...ids]) }, order: { position: "ASC" } }),
      (row) => row.entryId,
    ),
    videoByEntry: rowLoader<string, MicroVideo>(
      (ids) => dataSource.getRepository(MicroVideo).findBy({ entryId: In([...ids]) }),
      (row) => row.entryId,
    ),
    renditionsByVideo: groupLoader<string, VideoRenditionFile>(
      (ids) => dataSource.getRepository(VideoRenditionFile).find({ where: { videoId: In([...ids]) }, order: { rendition: "ASC" } }),
      (row) => row.videoId,
    ),
    /** `Venue.entries(status, first, after)` for many venues in one statement (newest first). */
    entriesByVenue: loaderPerArguments((args: VenueEntriesArgs) => {
      const first = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after, 2) : undefined;
      return new DataLoader<string, Page<Entry>>(async (venueIds) => {
        const query = visibleEntries().andWhere("entry.venue_id = ANY(CAST(:venueIds AS uuid[]))", { venueIds: wellFormedIds(venueIds) });
        if (args.status) query.andWhere("entry.status = :status", { status: args.status });
        const counts = new Map<string, number>();
        const totals = query.clone().select("entry.venue_id", "venueId").addSelect("count(*)::int", "count").groupBy("entry.venue_id");
        // One statement for all venues: each venue's newest `first + 1` visible entries, read from the
        // (venue_id, created_at DESC, id DESC) index and stopped there (LATERAL … LIMIT), not every entry of the venue ranked.
        const newest = restrictToVisible(entries.createQueryBuilder("candidate"), "candidate", viewer)
          .select("candidate.id", "id")
          .andWhere("candidate.venue_id = venue_ids.id");
        if (args.status) newest.andWhere("candidate.status = :status", { status: args.status });
        if (after) newest.andWhere("(candidate.created_at, candidate.id) < (:afterCreatedAt, :afterId)", { afterCreatedAt: after[0], afterId: after[1] });
        newest
          .orderBy("candidate.created_at", "DESC")
          .addOrderBy("candidate.id", "DESC")
          .limit(first + 1);
        const rows =
          first === 0
            ? []
            : await entries
                .createQueryBuilder("entry")
                .where(
                  `entry.id IN (SELECT picked.id FROM unnest(CAST(:venueIds AS uuid[])) AS venue_ids(id) CROSS JOIN LATERAL (${newest.getQuery()}) picked)`,
                )
                .setParameters({ ...newest.getParameters(), venueIds: wellFormedIds(venueIds) })
                .orderBy("entry.created_at", "DESC")
                .addOrderBy("entry.id", "DESC")
                .getMany();
        let countsLoaded: Promise<void> | undefined;
        const loadCounts = () =>
          (countsLoaded ??= totals.getRawMany<{ venueId: string; count: number }>().then((list) => {
            for (const row of list) counts.set(row.venueId, row.count);
          }));
        return venueIds.map((venueId) =>
          pageFromRows(
            rows.filter((row) => row.venueId === venueId),
            first,
            entryCursor,
            () => loadCounts().then(() => counts.get(venueId) ?? 0),
          ),
        );
      });
    }),
  };
}

export type EntriesLoaders = ReturnType<typeof createEntriesLoaders>;
