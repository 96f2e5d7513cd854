// Cursor connections (first/after, edges, pageInfo, totalCount) with keyset pagination and a maximum page size.
import { ArgsType, ClassType, Directive, Field, Int, ObjectType } from "type-graphql";
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { badInput } from "./errors";
import { INHERIT_CACHE } from "./cache-hints";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ description: "Where a page of a connection ends, and whether another follows." })
@Directive("@shareable")
@Directive(INHERIT_CACHE)
export class PageInfo {
  @Field({ description: "True when a further page exists; pass endCursor as `after` to read it." })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "The cursor of the last edge of this page; null for an empty page." })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** A number, or a lazy promise that runs its count only when the client asks for totalCount. */
  totalCount: number | PromiseLike<number>;
}

/** A promise-like that starts `run` only when awaited: graphql-js awaits a field's value only if it was selected. */
export function lazy<T>(run: () => Promise<T>): PromiseLike<T> {
  let started: Promise<T> | undefined;
  return {
    then: (onFulfilled, onRejected) => (started ??= run()).then(onFulfilled, onRejected),
  };
}

/** Declares `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function ConnectionType<T extends object>(name: string, nodeType: ClassType<T>, description?: string) {
  // A page lives as long as the field that holds it; its nodes' types bring their own hints.
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page, with the cursor that points at it.` })
  @Directive(INHERIT_CACHE)
  class EdgeType {
    @Field({ description: "Opaque cursor; pass it as `after` to read the items following this one." })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name} itself.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: description ?? `A page of ${name} items.` })
  @Directive(INHERIT_CACHE)
  class ConnectionClass {
    @Field(() => [EdgeType], { description: `The ${name} items of this page, in order, each with its cursor.` })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: "Whether another page follows, and the cursor to pass as `after` to read it." })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "How many items match, across all pages." })
    totalCount!: number;
  }
  return ConnectionClass;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

@ArgsType()
export class PageArguments implements PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}). Larger values: BAD_USER_INPUT.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "A cursor from a previous page's pageInfo.endCursor." })
  after?: string | null;
}

/** Validates `first` (default 20, at most 100). */
export function pageSize(first: number | null | undefined): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`\`first\` must be between 0 and ${MAX_PAGE_SIZE}, got ${first}.`, { argument: "first", max: MAX_PAGE_SIZE });
  }
  return first;
}

/**
 * Cursor values. Timestamps in cursors are JavaScript Dates (milliseconds), so every created_at column this
 * API pages by defaults to date_trunc('milliseconds', now()) in its migration: a microsecond the cursor
 * cannot carry would skip or repeat rows.
 */
export type CursorValue = string | number;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, length: number): CursorValue[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === "string" || typeof v === "number")) {
      return values as CursorValue[];
    }
  } catch {
    // fall through to the coded error
  }
  throw badInput("`after` is not a cursor this list returned.", { argument: "after" });
}

export interface KeysetOrder<T> {
  /** SQL expressions to order by, e.g. ["entry.created_at", "entry.id"]; the last must be unique. */
  columns: string[];
  direction: "ASC" | "DESC";
  /** The cursor values of a row, in the order of `columns`. */
  cursorOf: (row: T) => CursorValue[];
}

/**
 * Reads one page from a query builder with keyset pagination: two statements at most
 * (the page, and the count only when totalCount is asked for).
 */
export async function keysetPage<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, order: KeysetOrder<T>, args: PageArgs): Promise<Page<T>> {
  const first = pageSize(args.first);
  const counter = query.clone();
  const paged = query.clone();
  if (args.after) {
    const values = decodeCursor(args.after, order.columns.length);
    const placeholders = values.map((_v, i) => `:cursor${i}`).join(", ");
    const params = Object.fromEntries(values.map((v, i) => [`cursor${i}`, v]));
    paged.andWhere(`(${order.columns.join(", ")}) ${order.direction === "DESC" ? "<" : ">"} (${placeholders})`, params);
  }
  order.columns.forEach((column, i) => (i === 0 ? paged.orderBy(column, order.direction) : paged.addOrderBy(column, order.direction)));
  const rows =
    first === 0
      ? []
      : await paged
          .take(undefined)
          .limit(first + 1)
          .getMany();
  return pageFromRows(rows, first, order.cursorOf, () => counter.getCount());
}

/** Builds a connection page from rows fetched with a limit of first + 1. */
export function pageFromRows<T>(rows: T[], first: number, cursorOf: (row: T) => CursorValue[], totalCount: number | (() => Promise<number>)): Page<T> {
  const count = typeof totalCount === "number" ? totalCount : lazy(totalCount);
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount: count,
  };
}
