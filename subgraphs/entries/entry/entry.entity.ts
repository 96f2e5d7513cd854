import { bigintAsNumber } from "../../../lib/database";
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { ThemeCode } from "../../../lib/themes";
import { PUBLIC_CACHE } from "../../../lib/cache-hints";

export enum EntryKind {
  PHOTO_SET = "PHOTO_SET",
  SINGLE_PHOTO = "SINGLE_PHOTO",
  MICRO_VIDEO = "MICRO_VIDEO",
}
registerEnumType(EntryKind, {
  name: "EntryKind",
  description: "PHOTO_SET: 2 to 10 photos (by default); SINGLE_PHOTO: one photo; MICRO_VIDEO: one video of at most 180 s.",
  valuesConfig: {
    PHOTO_SET: { description: "A set of 2 to 10 photos (the competition's limits) telling one story; upload with uploadPhotos." },
    SINGLE_PHOTO: { description: "Exactly one photo; upload with uploadPhotos." },
    MICRO_VIDEO: { description: "One micro-video (MP4 or MOV, at most Competition.maxVideoSeconds); upload with uploadVideo." },
  },
});

export enum EntryStatus {
  DRAFT = "DRAFT",
  SUBMITTED = "SUBMITTED",
  WITHDRAWN = "WITHDRAWN",
  DISQUALIFIED = "DISQUALIFIED",
}
registerEnumType(EntryStatus, {
  name: "EntryStatus",
  description: "DRAFT: editable, media can be uploaded; SUBMITTED: with the jury; WITHDRAWN by the venue; DISQUALIFIED by the organiser.",
  valuesConfig: {
    DRAFT: { description: "Created, not yet submitted: details and media can still change. Judges never see drafts." },
    SUBMITTED: { description: "Submitted to the jury with its media; it can still be withdrawn before the deadline." },
    WITHDRAWN: { description: "Withdrawn by its venue; not judged, not shown." },
    DISQUALIFIED: { description: "Disqualified by the organisers (see the reason); not judged, not shown." },
  },
});

@Entity({ name: "entry" })
@ObjectType({ description: "A work entered in the competition: a photo set, a single photo or a micro-video." })
@Directive('@key(fields: "id")')
@Directive(PUBLIC_CACHE)
export class Entry {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the entry; pass it to uploadPhotos, uploadVideo, submitEntry and withdrawEntry." })
  id!: string;

  @Column("uuid")
  competitionId!: string;

  @Column("uuid")
  venueId!: string;

  @Column("uuid")
  organizationId!: string;

  @Column("uuid")
  entrantId!: string;

  @Column("text")
  themeCode!: ThemeCode;

  @Column("text")
  @Field(() => EntryKind, { description: "Photo set, single photo or micro-video; decides which upload mutation applies." })
  kind!: EntryKind;

  @Column("text")
  @Field(() => EntryStatus, { description: "Where the entry is: DRAFT until submitted, then SUBMITTED, WITHDRAWN or DISQUALIFIED." })
  status!: EntryStatus;

  @Column("text")
  @Field({ description: "The work's title, at most 200 characters." })
  title!: string;

  @Column("text", { nullable: true })
  @Field(() => String, { nullable: true, description: "The photographer's description of the work, at most 5000 characters." })
  description!: string | null;

  @Column("text", { nullable: true })
  creditName!: string | null;

  @Column("char", { length: 2 })
  country!: string;

  @Column("boolean")
  consentToPublication!: boolean;

  @Column("boolean")
  consentToRules!: boolean;

  @Column("boolean")
  declaresNoGenerativeAi!: boolean;

  @Column("text", { nullable: true })
  idempotencyKey!: string | null;

  @Column("timestamptz", { nullable: true })
  @Field(() => Date, { nullable: true, description: "When the entry was submitted to the jury." })
  submittedAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  withdrawnAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  disqualifiedAt!: Date | null;

  @Column("text", { nullable: true })
  disqualificationReason!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  @Field({ description: "When the draft was created (ISO 8601, UTC)." })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;
}

@Entity({ name: "entrant" })
@ObjectType({
  description:
    "The photographer behind an entry, as the organisation that entered them recorded them. Identity and contact: organisers and that organisation (its partner and venue tokens) only; another organisation entering the same e-mail keeps its own record.",
})
export class Entrant {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the entrant (one per e-mail address and organisation in the competition)." })
  id!: string;

  @Column("uuid")
  competitionId!: string;

  /** The tenant that entered (and alone may read and change) this record. */
  @Column("uuid")
  organizationId!: string;

  @Column("text")
  @Field({ description: "The photographer's full name." })
  name!: string;

  @Column("text")
  @Field({ description: "Contact e-mail; identifies the entrant across the organisation's entries (the per-theme entry limit counts it competition-wide)." })
  email!: string;

  @Column("char", { length: 2 })
  @Field({ description: "ISO 3166-1 alpha-2 country of residence." })
  country!: string;

  @Column("text", { nullable: true })
  @Field(() => String, { nullable: true, description: "Contact phone number, if given." })
  phone!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}

@Entity({ name: "photo" })
@ObjectType({ description: "One photo of an entry, as uploaded (original, EXIF intact) and in derived sizes." })
@Directive(PUBLIC_CACHE)
export class Photo {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the photo." })
  id!: string;

  @Column("uuid")
  entryId!: string;

  @Column("int")
  @Field(() => Int, { description: "Order within the entry, from 1." })
  position!: number;

  @Column("int")
  @Field(() => Int, { description: "Width of the original in pixels." })
  width!: number;

  @Column("int")
  @Field(() => Int, { description: "Height of the original in pixels." })
  height!: number;

  @Column("text")
  @Field({ description: "MIME type of the original, judged by content: image/jpeg or image/png." })
  contentType!: string;

  @Column("bigint", { transformer: bigintAsNumber })
  byteSize!: number;

  @Column("text")
  sha256!: string;

  @Column("text")
  originalKey!: string;

  @Column("text")
  displayKey!: string;

  @Column("text")
  thumbnailKey!: string;

  @Column("jsonb", { nullable: true })
  exif!: Record<string, string | number | null> | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}

export enum MediaStatus {
  PROCESSING = "PROCESSING",
  READY = "READY",
  FAILED = "FAILED",
}
registerEnumType(MediaStatus, {
  name: "MediaStatus",
  description: "Where a video's streaming renditions are: being made, ready to play, or given up on (see MicroVideo.failureReason).",
  valuesConfig: {
    PROCESSING: { description: "Stored; the streaming renditions are being made in the background. Until then judges and the public get no video URL." },
    READY: { description: "The streaming renditions and the poster frame exist; url(rendition: STREAM) plays." },
    FAILED: { description: "The renditions could not be made after several attempts; failureReason says why. The original is kept." },
  },
});

export enum VideoRendition {
  STREAM = "STREAM",
  STREAM_1080P = "STREAM_1080P",
  ORIGINAL = "ORIGINAL",
}
registerEnumType(VideoRendition, {
  name: "VideoRendition",
  description:
    "Which file of a micro-video: STREAM (720p H.264/AAC MP4, no metadata, the default), STREAM_1080P (1080p where the source has it), ORIGINAL (as uploaded; organisers and the owner only).",
  valuesConfig: {
    STREAM: { description: "H.264/AAC MP4 with faststart, 720 pixels on the short side (less when the source is smaller), every metadata atom stripped." },
    STREAM_1080P: {
      description: "Like STREAM at 1080 pixels on the short side, made when the source has that resolution; otherwise the largest STREAM file there is.",
    },
    ORIGINAL: { description: "The file as uploaded, metadata intact: organisers and the submitting venue or its organisation only (FORBIDDEN otherwise)." },
  },
});

@Entity({ name: "micro_video" })
@ObjectType({ description: "The video of a MICRO_VIDEO entry." })
@Directive(PUBLIC_CACHE)
export class MicroVideo {
  @PrimaryGeneratedColumn("uuid")
  @Field(() => ID, { description: "Stable id of the video." })
  id!: string;

  @Column("uuid")
  entryId!: string;

  @Column("double precision")
  @Field(() => Float, { description: "Length in seconds." })
  durationSeconds!: number;

  @Column("int")
  @Field(() => Int, { description: "Frame width in pixels." })
  width!: number;

  @Column("int")
  @Field(() => Int, { description: "Frame height in pixels." })
  height!: number;

  @Column("text")
  @Field({ description: "MIME type judged by content, e.g. video/mp4." })
  contentType!: string;

  @Column("bigint", { transformer: bigintAsNumber })
  byteSize!: number;

  @Column("text")
  sha256!: string;

  @Column("text")
  videoKey!: string;

  @Column("text", { nullable: true })
  posterKey!: string | null;

  @Column("text", { default: MediaStatus.PROCESSING })
  @Field(() => MediaStatus, {
    description: "PROCESSING until the streaming renditions are made in the background, then READY (or FAILED, with failureReason).",
  })
  status!: MediaStatus;

  @Column("text", { nullable: true })
  @Field(() => String, { nullable: true, description: "Why the renditions could not be made; null unless status is FAILED." })
  failureReason!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}

/** One streaming file made from a micro-video by the rendition job (H.264/AAC MP4, no metadata). */
@Entity({ name: "video_rendition" })
@ObjectType({ description: "A streaming file made from a micro-video: H.264/AAC MP4 with faststart and no metadata." })
@Directive(PUBLIC_CACHE)
export class VideoRenditionFile {
  @Column("uuid", { primary: true })
  videoId!: string;

  @Column("text", { primary: true })
  @Field(() => VideoRendition, { description: "STREAM (720p) or STREAM_1080P; fetch it with MicroVideo.url(rendition: …)." })
  rendition!: VideoRendition;

  @Column("text")
  key!: string;

  @Column("int")
  @Field(() => Int, { description: "Frame width in pixels (upright)." })
  width!: number;

  @Column("int")
  @Field(() => Int, { description: "Frame height in pixels (upright)." })
  height!: number;

  @Column("bigint", { transformer: bigintAsNumber })
  @Field(() => Float, { description: "Size of the file in bytes." })
  byteSize!: number;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}

/**
 * Who besides the owners may see an entry, and because of whom: `public` once an exhibition is
 * published or an award is, `judge:<id>` while a judge has it assigned. Each source replaces its own set.
 */
@Entity({ name: "entry_grant" })
export class EntryGrant {
  @Column("uuid", { primary: true })
  entryId!: string;

  @Column("text", { primary: true })
  audience!: string;

  @Column("text", { primary: true })
  source!: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
