import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Role } from "../../../lib/auth";

registerEnumType(Role, {
  name: "Role",
  description: "What a token may do: ORGANIZER everything; PARTNER its organisation's venues; VENUE one venue; JUDGE its assignments.",
  valuesConfig: {
    ORGANIZER: { description: "The organisers: every entry, venue, judge and export; sets up the competition and publishes results." },
    PARTNER: { description: "A partner organisation: reads and manages its own organisation's venues, entries, exhibitions and webhooks." },
    VENUE: { description: "A branch venue or station: creates entries for photographers at its own venues, uploads media, submits and withdraws." },
    JUDGE: { description: "A judge: sees only the entries assigned to them, without the entrant's identity, and scores or shortlists them." },
  },
});

@Entity({ name: "api_client" })
@ObjectType({ description: "A set of credentials (client id and secret) a partner, venue, judge or organiser exchanges for tokens with issueToken." })
export class ApiClient {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the API client; pass it to rotateApiClientSecret and revokeApiClient." })
  id!: string;

  @Column("text", { unique: true })
  @Field({ description: "The public half of the credentials, passed to issueToken." })
  clientId!: string;

  @Column("text")
  @Field({ description: "A name that says who uses these credentials and where." })
  name!: string;

  @Column("text")
  @Field(() => Role, { description: "The role of every token this client obtains through issueToken." })
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

  /** The secret before the last rotation, still accepted until previousSecretExpiresAt. */
  @Column("text", { nullable: true })
  previousSecretHash!: string | null;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "Until when the secret replaced by the last rotation still works." })
  previousSecretExpiresAt!: Date | null;

  @Column("int", { nullable: true })
  @Field(() => Int, { nullable: true, description: "This client's sustained rate limit (requests per second); null: the default." })
  rateLimitPerSecond!: number | null;

  @Column("int", { nullable: true })
  @Field(() => Int, { nullable: true, description: "This client's burst (requests at once above the sustained rate); null: the default." })
  rateLimitBurst!: number | null;

  @Column("boolean", { nullable: true })
  @Field(() => Boolean, {
    nullable: true,
    description:
      "True: the gateway serves this client only operations it registered (registerOperations); false: any operation within the limits; null: the default for its role (production: VENUE clients registered-only).",
  })
  registeredOperationsOnly!: boolean | null;

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the organiser created the client (ISO 8601, UTC)." })
  createdAt!: Date;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the client was revoked; its secret no longer issues tokens." })
  revokedAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the client last obtained a token." })
  lastUsedAt!: Date | null;
}
