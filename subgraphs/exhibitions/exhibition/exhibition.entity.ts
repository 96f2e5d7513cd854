import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import type { LocalizedText } from "../../../lib/i18n";
import { PUBLIC_CACHE } from "../../../lib/cache-hints";

export enum ExhibitionStatus {
  DRAFT = "DRAFT",
  PUBLISHING = "PUBLISHING",
  PUBLISHED = "PUBLISHED",
  ARCHIVED = "ARCHIVED",
}
registerEnumType(ExhibitionStatus, {
  name: "ExhibitionStatus",
  description:
    "DRAFT: being curated, seen only by organisers and the owning organisation; PUBLISHING: published, waiting for its entries to become public (usually under a second); PUBLISHED: public; ARCHIVED: closed, seen again only by organisers and the owning organisation.",
  valuesConfig: {
    DRAFT: { description: "Being prepared: visible to organisers and the owning organisation only." },
    PUBLISHING: {
      description:
        "publishExhibition was accepted; it becomes PUBLISHED as soon as the entries service has made its works' entries public. Not yet visible to the public.",
    },
    PUBLISHED: { description: "Open to the public: its works, captions and credits can be read without a token." },
    ARCHIVED: { description: "Closed; kept for the record, no longer listed to the public." },
  },
});

export enum ExhibitionKind {
  ONLINE = "ONLINE",
  ONSITE = "ONSITE",
}
registerEnumType(ExhibitionKind, {
  name: "ExhibitionKind",
  description: "ONLINE: shown on the web (it may also be launched at host venues); ONSITE: hung at its host venues (at least one).",
  valuesConfig: {
    ONLINE: { description: "Shown on the web; it may also be launched at host venues." },
    ONSITE: { description: "Hung at one or more host venues (and shown online)." },
  },
});

@Entity({ name: "exhibition" })
@ObjectType({
  description:
    "A curated exhibition of competition works, online or at venues at home and abroad. The public sees PUBLISHED ones; drafts and archived ones only organisers and the owning organisation.",
})
@Directive('@key(fields: "id")')
@Directive(PUBLIC_CACHE)
export class Exhibition {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the exhibition." })
  id!: string;

  @Column("text")
  @Field({ description: 'Unique address of the exhibition, lower-case words joined by dashes, e.g. "harmonious-co-existence".' })
  slug!: string;

  /** The partner organisation that owns (and may edit) the exhibition; null for the organisers' own. */
  @Column("uuid", { nullable: true })
  organizationId!: string | null;

  @Column("text")
  @Field(() => ExhibitionKind, { description: "Shown online, or on site at its host venues." })
  kind!: ExhibitionKind;

  @Column("text")
  @Field(() => ExhibitionStatus, { description: "DRAFT, PUBLISHED or ARCHIVED; the public only ever sees PUBLISHED." })
  status!: ExhibitionStatus;

  @Column("text")
  @Field({ description: 'The language every text falls back to when the requested one is missing, e.g. "zh".' })
  defaultLocale!: string;

  @Column("jsonb")
  titleText!: LocalizedText;

  @Column("jsonb", { default: {} })
  descriptionText!: LocalizedText;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the exhibition opens to visitors (on site or online); informational." })
  opensAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the exhibition closes; informational." })
  closesAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When it was last published." })
  publishedAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  archivedAt!: Date | null;

  @Column("text")
  createdBy!: string;

  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  @Field({ description: "When the exhibition was created." })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the exhibition's own fields last changed (not its works)." })
  updatedAt!: Date;
}

/** A venue an exhibition is shown at, in the order the curator listed them. */
@Entity({ name: "exhibition_host_venue" })
export class ExhibitionHostVenue {
  @PrimaryColumn("uuid")
  exhibitionId!: string;

  @PrimaryColumn("uuid")
  venueId!: string;

  @Column("int")
  position!: number;
}
