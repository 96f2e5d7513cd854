import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

export enum Region {
  DOMESTIC = "DOMESTIC",
  OVERSEAS = "OVERSEAS",
}
registerEnumType(Region, { name: "Region", description: "Whether a venue is in China (DOMESTIC) or abroad (OVERSEAS)." });

export enum VenueKind {
  BRANCH_VENUE = "BRANCH_VENUE",
  STATION = "STATION",
}
registerEnumType(VenueKind, {
  name: "VenueKind",
  description: "A branch venue collects entries for the competition; a station is a permanent venue such as the China-Portugal Eye in Lisbon.",
});

@Entity({ name: "venue" })
@ObjectType({ description: "A branch venue or station through which entries are collected, in China or overseas." })
@Directive('@key(fields: "id")')
export class Venue {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID)
  id!: string;

  @Column("text", { unique: true })
  @Field({ description: "Unique stable code, e.g. \"PT-LIS-EYE\"." })
  code!: string;

  @Column("text")
  @Field()
  name!: string;

  @Column("text")
  @Field(() => VenueKind)
  kind!: VenueKind;

  @Column("text")
  @Field(() => Region)
  region!: Region;

  @Column("text")
  @Field({ description: "ISO 3166-1 alpha-2 country code, e.g. \"PT\"." })
  country!: string;

  @Column("text", { nullable: true })
  @Field(() => String, { nullable: true })
  city!: string | null;

  @Column("uuid")
  organizationId!: string;

  @Column("uuid", { nullable: true })
  divisionId!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  @Field()
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;
}
