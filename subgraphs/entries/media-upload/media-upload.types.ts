// The GraphQL shapes of resumable uploads: what startMediaUpload takes and what it (and mediaUpload) answer.
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

export enum MediaUploadStatus {
  OPEN = "OPEN",
  CHECKING = "CHECKING",
  ATTACHED = "ATTACHED",
  REJECTED = "REJECTED",
}

registerEnumType(MediaUploadStatus, {
  name: "MediaUploadStatus",
  description: "Where a resumable upload stands, from the first part to the outcome of its content checks.",
  valuesConfig: {
    OPEN: { description: "Parts are being received; send the missing ones, then call completeMediaUpload." },
    CHECKING: {
      description:
        "completeMediaUpload joined the parts and the content checks are running on the server (they go on if the connection drops); query mediaUpload until the status changes.",
    },
    ATTACHED: { description: "The checks passed: the file is the entry's video (PROCESSING until its renditions are made)." },
    REJECTED: { description: "A check refused the file (see failure); its bytes were removed and the entry is unchanged. Start a new upload." },
  },
});

@ObjectType({ description: "Why the content checks refused an upload: the same code and message completeMediaUpload answers as an error." })
export class MediaUploadFailure {
  @Field({
    description:
      "The error code: UNSUPPORTED_MEDIA_TYPE (not MP4/MOV, or not the declared type), BAD_USER_INPUT (damaged, no video track, too long), CONFLICT (same content already entered, or the entry is no longer a draft or has its video), INTERNAL_SERVER_ERROR (the server could not check the file; start again).",
  })
  code!: string;

  @Field({ description: "What went wrong and what to do, for the venue." })
  message!: string;

  @Field(() => ID, { nullable: true, description: "For a duplicate (CONFLICT): the entry that already holds this content, when you may see it." })
  duplicateOfEntryId?: string | null;
}

@InputType({ description: "A large file (a micro-video) to send in parts; declare its size and type before sending any byte." })
export class StartMediaUploadInput {
  @Field(() => ID, { description: "The DRAFT MICRO_VIDEO entry the file is for (Entry.id)." })
  entryId!: string;

  @Field(() => Float, { description: "Exact size of the file in bytes; at most Competition.maxVideoBytes." })
  byteSize!: number;

  @Field({ description: "video/mp4 or video/quicktime; completeMediaUpload refuses a file whose content says otherwise." })
  contentType!: string;
}

@ObjectType({ description: "One part of a resumable upload: send exactly byteSize bytes of the file, starting at offset, with HTTP PUT to url." })
export class MediaUploadPart {
  @Field(() => Int, { description: "1-based part number." })
  number!: number;

  @Field(() => Float, { description: "Position of the part's first byte in the file." })
  offset!: number;

  @Field(() => Int, { description: "Exact length of the part in bytes (the Content-Length of the PUT)." })
  byteSize!: number;

  @Field({
    description:
      "Where to PUT the part: a signed URL for this part of this upload only, valid until MediaUpload.expiresAt. A part may be sent again; the last copy counts.",
  })
  url!: string;

  @Field({ description: "True once the part arrived whole; a client that lost its connection sends only the parts still false." })
  received!: boolean;
}

@ObjectType({
  description:
    "A resumable upload (S3-multipart style, on every storage backend): PUT each part to its URL, in any order or in parallel, then call completeMediaUpload; if that answers before the checks end (status CHECKING), query mediaUpload until ATTACHED or REJECTED.",
})
export class MediaUpload {
  @Field(() => ID, { description: "Pass it to completeMediaUpload and mediaUpload." })
  id!: string;

  @Field(() => ID, { description: "The entry the file will be attached to." })
  entryId!: string;

  @Field(() => Float, { description: "The declared size of the file in bytes." })
  byteSize!: number;

  @Field(() => Float, { description: "Bytes of the parts received so far." })
  receivedBytes!: number;

  @Field(() => Int, { description: "Size of every part but the last." })
  partSize!: number;

  @Field(() => [MediaUploadPart], { description: "Every part, in order, with its URL and whether it arrived." })
  parts!: MediaUploadPart[];

  @Field(() => Date, {
    description:
      "When the part URLs stop working; an upload not completed by then is removed with its bytes. A finished (ATTACHED or REJECTED) upload stays readable until then, and at least an hour after it finished.",
  })
  expiresAt!: Date;

  @Field(() => MediaUploadStatus, { description: "OPEN while parts arrive, CHECKING after completeMediaUpload, then ATTACHED or REJECTED." })
  status!: MediaUploadStatus;

  @Field(() => MediaUploadFailure, { nullable: true, description: "Why the checks refused the file; null unless REJECTED." })
  failure!: MediaUploadFailure | null;
}
