import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { LocalizedText } from "../../../lib/i18n";
import { PUBLIC_CACHE } from "../../../lib/cache-hints";

@Entity({ name: "exhibition_section" })
@ObjectType({ description: 'A part of an exhibition, e.g. "Spring Festival abroad" or "Sport and exchange", with its own ordered works.' })
@Directive(PUBLIC_CACHE)
export class ExhibitionSection {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the section; pass it as sectionId to list or place works." })
  id!: string;

  @Column("uuid")
  exhibitionId!: string;

  @Column("int")
  @Field(() => Int, { description: "Order of the section within the exhibition, from 1." })
  position!: number;

  @Column("jsonb")
  titleText!: LocalizedText;

  @Column("jsonb", { default: {} })
  descriptionText!: LocalizedText;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
