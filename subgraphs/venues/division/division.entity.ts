import { Directive, Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import { PUBLIC_CACHE } from "../../../lib/cache-hints";

@Entity({ name: "division" })
@ObjectType({ description: "A regional division with its own awards and ceremony, e.g. the Portugal Division." })
@Directive('@key(fields: "id")')
@Directive(PUBLIC_CACHE)
export class Division {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the division; filter venues, awards and leaderboards by it." })
  id!: string;

  @Column("text", { unique: true })
  @Field({ description: 'Stable short code, e.g. "PT" for the Portugal Division.' })
  code!: string;

  @Column("text")
  @Field({ description: 'The division\'s display name, e.g. "Portugal Division".' })
  name!: string;

  @Column("text", { nullable: true })
  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2 country the division covers, when it covers one country." })
  country!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the division was created (ISO 8601, UTC)." })
  createdAt!: Date;
}
