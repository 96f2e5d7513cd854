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
registerEnumType(OrganizationKind, {
  name: "OrganizationKind",
  description: "What kind of body a partner organisation is.",
  valuesConfig: {
    ORGANIZER: { description: "The competition's organisers." },
    MEDIA_AGENCY: { description: "A news agency bureau, newspaper or broadcaster." },
    UNIVERSITY: { description: "A university, school or Confucius Institute." },
    ASSOCIATION: { description: "A photographers', journalists' or friendship association." },
    CULTURAL_INSTITUTION: { description: "A museum, cultural centre or similar institution." },
    COMPANY: { description: "A company, e.g. a sponsor running a venue." },
  },
});

@Entity({ name: "organization" })
@ObjectType({ description: "A partner organisation (media agency, university, association…) that runs branch venues, or the organiser itself." })
@Directive('@key(fields: "id")')
export class Organization {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the organisation." })
  id!: string;

  @Column("text")
  @Field({ description: "The organisation's name as it is published." })
  name!: string;

  @Column("text")
  @Field(() => OrganizationKind, { description: "What kind of body the organisation is (media agency, university, association, …)." })
  kind!: OrganizationKind;

  @Column("text")
  @Field({ description: 'ISO 3166-1 alpha-2 country code of the organisation\'s seat, e.g. "CN", "PT".' })
  country!: string;

  @Column("text", { nullable: true })
  @Field(() => String, { nullable: true, description: "Public web site." })
  website!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the organisation was created (ISO 8601, UTC)." })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;
}
