import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { PUBLIC_CACHE } from "../../../lib/cache-hints";

export enum Region {
  DOMESTIC = "DOMESTIC",
  OVERSEAS = "OVERSEAS",
}
registerEnumType(Region, {
  name: "Region",
  description: "Whether a venue is in China (DOMESTIC) or abroad (OVERSEAS).",
  valuesConfig: {
    DOMESTIC: { description: "In mainland China (country CN)." },
    OVERSEAS: { description: "Outside mainland China; overseas venues may belong to a regional division with its own awards." },
  },
});

export enum VenueKind {
  BRANCH_VENUE = "BRANCH_VENUE",
  STATION = "STATION",
}
registerEnumType(VenueKind, {
  name: "VenueKind",
  description: "A branch venue collects entries for the competition; a station is a permanent venue such as the China-Portugal Eye in Lisbon.",
  valuesConfig: {
    BRANCH_VENUE: { description: "A venue that collects entries for this edition of the competition." },
    STATION: { description: "A permanent venue that runs all year, such as the China-Portugal Eye station in Lisbon." },
  },
});

@Entity({ name: "venue" })
@ObjectType({ description: "A branch venue or station through which entries are collected, in China or overseas." })
@Directive('@key(fields: "id")')
@Directive(PUBLIC_CACHE)
export class Venue {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the venue; pass it as venueId when creating entries or filtering lists." })
  id!: string;

  @Column("text", { unique: true })
  @Field({ description: 'Unique stable code, e.g. "PT-LIS-EYE".' })
  code!: string;

  @Column("text")
  @Field({ description: 'The venue\'s display name, e.g. "China-Portugal Eye Photography and Micro Video Station".' })
  name!: string;

  @Column("text")
  @Field(() => VenueKind, { description: "Whether this is a branch venue or a permanent station." })
  kind!: VenueKind;

  @Column("text")
  @Field(() => Region, { description: "DOMESTIC for venues in China, OVERSEAS for all others; derived from the country." })
  region!: Region;

  @Column("text")
  @Field({ description: 'ISO 3166-1 alpha-2 country code, e.g. "PT".' })
  country!: string;

  @Column("text", { nullable: true })
  @Field(() => String, { nullable: true, description: 'The city the venue is in, e.g. "Lisbon"; null when not recorded.' })
  city!: string | null;

  @Column("uuid")
  organizationId!: string;

  @Column("uuid", { nullable: true })
  divisionId!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the venue was created (ISO 8601, UTC)." })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;
}
