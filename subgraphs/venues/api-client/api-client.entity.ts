import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Role } from "../../../lib/auth";

registerEnumType(Role, { name: "Role", description: "What a token may do: ORGANIZER everything; PARTNER its organisation's venues; VENUE one venue; JUDGE its assignments." });

@Entity({ name: "api_client" })
@ObjectType({ description: "A set of credentials (client id and secret) a partner, venue, judge or organiser exchanges for tokens with issueToken." })
export class ApiClient {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID)
  id!: string;

  @Column("text", { unique: true })
  @Field({ description: "The public half of the credentials, passed to issueToken." })
  clientId!: string;

  @Column("text")
  @Field({ description: "A name that says who uses these credentials and where." })
  name!: string;

  @Column("text")
  @Field(() => Role)
  role!: Role;

  @Column("uuid", { nullable: true })
  @Field(() => ID, { nullable: true, description: "The organisation a PARTNER client acts for (for a VENUE client: its venue's organisation)." })
  organizationId!: string | null;

  @Column("uuid", { nullable: true })
  @Field(() => ID, { nullable: true, description: "The venue a VENUE client acts for." })
  venueId!: string | null;

  @Column("uuid", { nullable: true })
  @Field(() => ID, { nullable: true, description: "The judge a JUDGE client logs in as." })
  judgeId!: string | null;

  @Column("text")
  secretHash!: string;

  @CreateDateColumn({ type: "timestamptz" })
  @Field()
  createdAt!: Date;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the client was revoked; its secret no longer issues tokens." })
  revokedAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the client last obtained a token." })
  lastUsedAt!: Date | null;
}
