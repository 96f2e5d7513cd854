import { bigintAsNumber } from "../../../lib/database";
import { Directive, Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { LocalizedText } from "../../../lib/i18n";
import { ThemeCode } from "../../../lib/themes";
import { PUBLIC_CACHE } from "../../../lib/cache-hints";

@Entity({ name: "competition" })
@ObjectType({ description: "The competition: its themes, its submission window and the rules entries must follow." })
@Directive('@key(fields: "id")')
@Directive(PUBLIC_CACHE)
export class Competition {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the competition." })
  id!: string;

  @Column("text")
  @Field({ description: 'The competition\'s name, e.g. "Image China 2024".' })
  name!: string;

  @Column("timestamptz")
  @Field({ description: "No entry can be created, uploaded to, submitted or withdrawn before this time (DEADLINE_PASSED)." })
  submissionOpensAt!: Date;

  @Column("timestamptz")
  @Field({ description: "No entry can be created, uploaded to, submitted or withdrawn after this time (DEADLINE_PASSED)." })
  submissionClosesAt!: Date;

  @Column("int", { default: 2 })
  @Field(() => Int, { description: "Fewest photos in a PHOTO_SET entry." })
  minPhotosPerSet!: number;

  @Column("int", { default: 10 })
  @Field(() => Int, { description: "Most photos in a PHOTO_SET entry." })
  maxPhotosPerSet!: number;

  @Column("int", { default: 4 })
  @Field(() => Int, { description: "Most entries one entrant (by e-mail) may have in one theme, withdrawn ones not counted." })
  maxEntriesPerEntrantPerTheme!: number;

  @Column("int", { default: 180 })
  @Field(() => Int, { description: "Longest micro-video, in seconds." })
  maxVideoSeconds!: number;

  @Column("bigint", { default: 31457280, transformer: bigintAsNumber })
  @Field(() => Float, { description: "Largest photo file, in bytes (default 30 MB). Larger: PAYLOAD_TOO_LARGE." })
  maxPhotoBytes!: number;

  @Column("int", { default: 1600 })
  @Field(() => Int, { description: "Smallest long side of a photo, in pixels. Smaller: BAD_USER_INPUT." })
  minPhotoLongSide!: number;

  @Column("bigint", { default: 100000000, transformer: bigintAsNumber })
  @Field(() => Float, { description: "Most pixels (width × height) a photo may decode to (default 100 megapixels). More: PAYLOAD_TOO_LARGE." })
  maxPhotoPixels!: number;

  @Column("bigint", { default: 524288000, transformer: bigintAsNumber })
  @Field(() => Float, { description: "Largest micro-video file, in bytes (default 500 MB). Larger: PAYLOAD_TOO_LARGE." })
  maxVideoBytes!: number;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}

@Entity({ name: "theme" })
@ObjectType({ description: "One of the competition's themes." })
@Directive(PUBLIC_CACHE)
export class Theme {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("uuid")
  competitionId!: string;

  @Column("text")
  @Field(() => ThemeCode, { description: "The theme's stable code; pass it as CreateEntryInput.theme and in filters." })
  code!: ThemeCode;

  @Column("jsonb")
  nameText!: LocalizedText;

  @Column("jsonb", { default: {} })
  descriptionText!: LocalizedText;

  @Column("int")
  position!: number;
}
