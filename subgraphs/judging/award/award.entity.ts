import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { ThemeCode } from "../../../lib/themes";
import { PUBLIC_CACHE } from "../../../lib/cache-hints";

export enum AwardTier {
  GOLD = "GOLD",
  SILVER = "SILVER",
  BRONZE = "BRONZE",
  HONOURABLE_MENTION = "HONOURABLE_MENTION",
}
registerEnumType(AwardTier, {
  name: "AwardTier",
  description: "Award tiers, highest first.",
  valuesConfig: {
    GOLD: { description: "First prize of the scope." },
    SILVER: { description: "Second prize of the scope." },
    BRONZE: { description: "Third prize of the scope." },
    HONOURABLE_MENTION: { description: "A commended work, after the medals." },
  },
});

export enum AwardStatus {
  PROPOSED = "PROPOSED",
  PUBLISHING = "PUBLISHING",
  PUBLISHED = "PUBLISHED",
}
registerEnumType(AwardStatus, {
  name: "AwardStatus",
  description: "Where an award stands on its way to the public.",
  valuesConfig: {
    PROPOSED: { description: "A proposal, visible to organisers only." },
    PUBLISHING: {
      description: "publishAwards was accepted; it becomes PUBLISHED as soon as the entries service has made the entry public (usually under a second).",
    },
    PUBLISHED: { description: "Public: the award and its entry can be read without a token." },
  },
});

export const TIER_ORDER: readonly AwardTier[] = [AwardTier.GOLD, AwardTier.SILVER, AwardTier.BRONZE, AwardTier.HONOURABLE_MENTION];
/** The query parameter AWARD_TIER_RANK_SQL reads TIER_ORDER from: `.setParameter(AWARD_TIER_ORDER_PARAMETER, TIER_ORDER)`. */
export const AWARD_TIER_ORDER_PARAMETER = "awardTierOrder";
/** An award's tier as its rank in TIER_ORDER (1 = GOLD), for ORDER BY and keyset cursors; the order is a parameter, never spliced into the text. */
export const AWARD_TIER_RANK_SQL = `array_position(CAST(:${AWARD_TIER_ORDER_PARAMETER} AS text[]), CAST(award.tier AS text))`;

/**
 * An award in a scope: a theme (divisionId null) or a theme within one regional division.
 * Seeding: propose and publish through AwardService (or the API) so the entries subgraph is told
 * which entries became public.
 */
@Entity({ name: "award" })
@ObjectType({
  description:
    "An award to an entry in a theme, or in a theme within a regional division. Published awards are public; unpublished ones are visible to organisers only (null for others).",
})
@Directive('@key(fields: "id")')
@Directive(PUBLIC_CACHE)
export class Award {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "The award's id." })
  id!: string;

  @Column("uuid")
  roundId!: string;

  @Column("uuid")
  entryId!: string;

  @Column("text")
  @Field(() => ThemeCode, { description: "The theme (competition section) the award is given in." })
  theme!: ThemeCode;

  @Column("uuid", { nullable: true })
  divisionId!: string | null;

  @Column("uuid")
  venueId!: string;

  @Column("text")
  @Field(() => AwardTier, { description: "Gold, silver, bronze or honourable mention." })
  tier!: AwardTier;

  @Column("int")
  @Field(() => Int, { description: "Order within the tier in its scope, from 1 (the leaderboard order when proposed)." })
  position!: number;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the award was published; null while it is a proposal or PUBLISHING." })
  publishedAt!: Date | null;

  /** When publishAwards was accepted (PUBLISHING until the entry's public grant is applied). */
  @Column("timestamptz", { nullable: true })
  publishRequestedAt!: Date | null;

  /** The public-grant request that makes the entry public; the award is published once it is applied. */
  @Column("bigint", { nullable: true })
  publishGrantVersion!: string | null;

  @Field(() => AwardStatus, { description: "PROPOSED, PUBLISHING (waiting for the entry to become public) or PUBLISHED." })
  get status(): AwardStatus {
    if (this.publishedAt) return AwardStatus.PUBLISHED;
    return this.publishRequestedAt ? AwardStatus.PUBLISHING : AwardStatus.PROPOSED;
  }

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;
}
