import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { ExhibitionsContext } from "../context";
import { Exhibition } from "../exhibition/exhibition.entity";
import { EntryReference } from "./entry.type";

@Resolver(() => EntryReference)
export class EntryExhibitionsResolver {
  @FieldResolver(() => [Exhibition], {
    description: "Exhibitions showing this entry that the caller may see (published ones for the public), newest first.",
  })
  exhibitions(@Root() entry: EntryReference, @Ctx() context: ExhibitionsContext) {
    return context.exhibitions.forEntry(entry.id);
  }
}
