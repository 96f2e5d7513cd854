// The GraphQL shapes of resumable uploads: what startMediaUpload takes and what it (and mediaUpload) answer.
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";

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
    "A resumable upload (S3-multipart style, on every storage backend): PUT each part to its URL, in any order or in parallel, then call completeMediaUpload.",
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

  @Field(() => Date, { description: "When the part URLs stop working; an upload not completed by then is removed with its bytes." })
  expiresAt!: Date;
}
