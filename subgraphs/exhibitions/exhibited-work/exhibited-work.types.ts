import { Directive, Field, Int, ObjectType } from "type-graphql";
import { PageInfo } from "../../../lib/pagination";
import { ExhibitedWork } from "./exhibited-work.entity";
import { INHERIT_CACHE } from "../../../lib/cache-hints";

/*
 * The works connection is written out rather than made with ConnectionType because its node is nullable.
 * `ExhibitedWork.entry` is `Entry!` and the gateway resolves it in the entries subgraph, which answers null for an
 * entry the caller may not see: e.g. in the moment between an entry's withdrawal and its removal from exhibitions.
 * With a non-null node that null would climb to the exhibition itself and blank the whole page; here it stops at
 * the one edge, so the rest of the page still shows. The entry.withdrawn and entry.disqualified events keep this rare.
 */
@ObjectType({ description: "One work in a page, with the cursor that points at it." })
@Directive(INHERIT_CACHE)
export class ExhibitedWorkEdge {
  @Field({ description: "Opaque cursor; pass it as `after` to read the works following this one." })
  cursor!: string;

  @Field(() => ExhibitedWork, {
    nullable: true,
    description: "The work. Null only if its entry cannot be shown to the caller at this moment (it has just left the competition); skip it.",
  })
  node!: ExhibitedWork | null;
}

@ObjectType({ description: "A page of an exhibition's works, in their order." })
@Directive(INHERIT_CACHE)
export class ExhibitedWorkConnection {
  @Field(() => [ExhibitedWorkEdge], { description: "The works of this page, at most `first`." })
  edges!: ExhibitedWorkEdge[];

  @Field(() => PageInfo, { description: "Whether another page follows, and the cursor to ask for it." })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: "How many works are on show, across all pages." })
  totalCount!: number;
}
