import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { LocalizedText } from "../../../lib/i18n";
import { PUBLIC_CACHE, SHORT_CACHE } from "../../../lib/cache-hints";

export enum WorkRemovalReason {
  /** A curator took the work out. */
  CURATOR = "CURATOR",
  /** The entry was withdrawn or disqualified (the entries subgraph told us). */
  ENTRY_LEFT_COMPETITION = "ENTRY_LEFT_COMPETITION",
}

@Entity({ name: "exhibited_work" })
@ObjectType({ description: "A competition entry shown in an exhibition, at a position, with a caption in several languages and public likes and views." })
@Directive(PUBLIC_CACHE)
export class ExhibitedWork {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the work in this exhibition (not the entry's id); pass it to likeWork." })
  id!: string;

  @Column("uuid")
  exhibitionId!: string;

  @Column("uuid", { nullable: true })
  sectionId!: string | null;

  @Column("uuid")
  entryId!: string;

  /** Null once the work is removed (it then leaves the order). */
  @Column("int", { nullable: true })
  @Field(() => Int, { description: "Order of the work within the exhibition, from 1 (sections keep this order)." })
  position!: number;

  @Column("jsonb", { default: {} })
  captionText!: LocalizedText;

  @Column("int", { default: 0 })
  @Directive(SHORT_CACHE)
  @Field(() => Int, { description: "Likes from distinct visitors; exact, never below zero." })
  likeCount!: number;

  @Column("int", { default: 0 })
  @Directive(SHORT_CACHE)
  @Field(() => Int, { description: "Views recorded with recordWorkView." })
  viewCount!: number;

  @Column("text")
  addedBy!: string;

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the work was added to the exhibition." })
  createdAt!: Date;

  /** Removed works stay for audit but vanish from every list and count. */
  @Column("timestamptz", { nullable: true })
  removedAt!: Date | null;

  @Column("text", { nullable: true })
  removalReason!: WorkRemovalReason | null;

  /** The public-grant request that included this work's entry; on a published exhibition it shows once that is applied. */
  @Column("bigint", { default: 0 })
  grantVersion!: number;
}
