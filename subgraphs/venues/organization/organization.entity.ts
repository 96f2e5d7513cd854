import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

export enum OrganizationKind {
  ORGANIZER = "ORGANIZER",
  MEDIA_AGENCY = "MEDIA_AGENCY",
  UNIVERSITY = "UNIVERSITY",
  ASSOCIATION = "ASSOCIATION",
  CULTURAL_INSTITUTION = "CULTURAL_INSTITUTION",
  COMPANY = "COMPANY",
}
registerEnumType(OrganizationKind, { name: "OrganizationKind", description: "What kind of body a partner organisation is." });

@Entity({ name: "organization" })
@ObjectType({ description: "A partner organisation (media agency, university, association…) that runs branch venues, or the organiser itself." })
@Directive('@key(fields: "id")')
export class Organization {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID)
  id!: string;

  @Column("text")
  @Field({ description: "The organisation's name as it is published." })
  name!: string;

  @Column("text")
  @Field(() => OrganizationKind)
  kind!: OrganizationKind;

  @Column("text")
  @Field({ description: "ISO 3166-1 alpha-2 country code of the organisation's seat, e.g. \"CN\", \"PT\"." })
  country!: string;

  @Column("text", { nullable: true })
  @Field(() => String, { nullable: true, description: "Public web site." })
  website!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  @Field()
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;
}
