import GraphQLUpload from "graphql-upload/GraphQLUpload.mjs";
import type { FileUpload } from "graphql-upload/processRequest.mjs";
import { Arg, Ctx, Field, Float, ID, Int, Mutation, ObjectType, registerEnumType, Resolver, FieldResolver, Root } from "type-graphql";
import { forbidden } from "../../../lib/errors";
import type { EntriesContext } from "../context";
import { signedMediaUrl } from "../media/media-store";
import { Entry, MicroVideo, Photo, VideoRendition, VideoRenditionFile } from "./entry.entity";
import { maySeeCameraData, mayFetchOriginalMedia } from "../entries.visibility";

export enum ImageSize {
  THUMBNAIL = "THUMBNAIL",
  DISPLAY = "DISPLAY",
  ORIGINAL = "ORIGINAL",
}
registerEnumType(ImageSize, {
  name: "ImageSize",
  description:
    "THUMBNAIL: long side 400 px; DISPLAY: long side 1920 px (never enlarged); ORIGINAL: the file as uploaded, EXIF intact — organisers and the submitting venue or its organisation only.",
  valuesConfig: {
    THUMBNAIL: { description: "A small preview, 400 pixels on the long side, for lists." },
    DISPLAY: { description: "A screen-sized copy, 1920 pixels on the long side (never enlarged)." },
    ORIGINAL: { description: "The uploaded file, EXIF intact: organisers and the submitting venue's organisation only." },
  },
});

@ObjectType({ description: "Camera data read from the original's EXIF; fields the camera did not record are null." })
export class PhotoExif {
  @Field(() => String, { nullable: true, description: 'Make and model, e.g. "Canon EOS R5".' })
  camera!: string | null;

  @Field(() => String, { nullable: true, description: 'Lens model, e.g. "RF24-105mm F4 L IS USM".' })
  lens!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "When it was taken, as the camera's clock read (ISO 8601, with an offset only when the camera recorded one).",
  })
  takenAt!: string | null;

  @Field(() => Int, { nullable: true, description: "ISO sensitivity, e.g. 400." })
  iso!: number | null;

  @Field(() => Float, { nullable: true, description: "Seconds, e.g. 0.004 for 1/250 s." })
  exposureTime!: number | null;

  @Field(() => Float, { nullable: true, description: "Aperture as an f-number, e.g. 5.6." })
  fNumber!: number | null;

  @Field(() => Float, { nullable: true, description: "Millimetres." })
  focalLength!: number | null;
}

@Resolver(() => Photo)
export class PhotoResolver {
  @FieldResolver(() => String, {
    description: "A signed link to the image, valid until the end of the next UTC day. ORIGINAL: organisers and the owner only (FORBIDDEN otherwise).",
  })
  async url(
    @Root() photo: Photo,
    @Arg("size", () => ImageSize, {
      defaultValue: ImageSize.DISPLAY,
      description:
        "THUMBNAIL (long side 400 px), DISPLAY (long side 1920 px, the default) or ORIGINAL (as uploaded; organisers and the submitting venue's organisation only, else FORBIDDEN).",
    })
    size: ImageSize,
    @Ctx() context: EntriesContext,
  ) {
    if (size === ImageSize.ORIGINAL) {
      const entry = await context.loaders.entry.load(photo.entryId);
      if (!entry || !mayFetchOriginalMedia(context.viewer, entry))
        throw forbidden("Originals can be downloaded by organisers and the submitting venue or its organisation only.");
      return signedMediaUrl(photo.originalKey);
    }
    return signedMediaUrl(size === ImageSize.THUMBNAIL ? photo.thumbnailKey : photo.displayKey);
  }

  @FieldResolver(() => PhotoExif, { nullable: true, description: "Camera data of the original; null when it had none. Hidden from judges (blind judging)." })
  exif(@Root() photo: Photo, @Ctx() context: EntriesContext) {
    return maySeeCameraData(context.viewer) ? photo.exif : null;
  }

  @FieldResolver(() => Float, { description: "Size of the original in bytes." })
  byteSize(@Root() photo: Photo) {
    return photo.byteSize;
  }
}

@Resolver(() => MicroVideo)
export class MicroVideoResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "A signed link to one file of the video (supports HTTP Range), valid until the end of the next UTC day. STREAM (default) and STREAM_1080P: metadata-free H.264/AAC MP4, null until status is READY. ORIGINAL: the file as uploaded, organisers and the owner only (FORBIDDEN otherwise).",
  })
  url(
    @Root() video: MicroVideo,
    @Arg("rendition", () => VideoRendition, {
      defaultValue: VideoRendition.STREAM,
      description:
        "STREAM (720p, the default), STREAM_1080P (1080p where the source has it, else the STREAM file) or ORIGINAL (organisers and the owner only).",
    })
    rendition: VideoRendition,
    @Ctx() context: EntriesContext,
  ) {
    return context.entryMedia.videoUrl(video, rendition);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "A signed link to a poster frame (JPEG without metadata), taken from the STREAM file; null until status is READY.",
  })
  posterUrl(@Root() video: MicroVideo, @Ctx() context: EntriesContext) {
    return context.entryMedia.videoPosterUrl(video);
  }

  @FieldResolver(() => [VideoRenditionFile], { description: "The streaming files made from the video, with their sizes; empty until status is READY." })
  renditions(@Root() video: MicroVideo, @Ctx() context: EntriesContext) {
    return context.entryMedia.videoRenditions(video);
  }

  @FieldResolver(() => Float, { description: "Size of the original file in bytes." })
  byteSize(@Root() video: MicroVideo) {
    return video.byteSize;
  }
}

@Resolver()
export class EntryMediaResolver {
  @Mutation(() => [Photo], {
    description:
      "Adds photos to a DRAFT photo entry (multipart request; send `apollo-require-preflight: true`). JPEG or PNG, judged by content; limits on Competition. All files are stored or none. Errors: UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, BAD_USER_INPUT (corrupt, too small, too many), CONFLICT (not a draft, same file already entered), DEADLINE_PASSED, FORBIDDEN, NOT_FOUND.",
  })
  uploadPhotos(
    @Arg("entryId", () => ID, { description: "The DRAFT PHOTO_SET or SINGLE_PHOTO entry to add the photos to (Entry.id)." }) entryId: string,
    @Arg("files", () => [GraphQLUpload], {
      description: "The image files, as multipart file parts (GraphQL multipart request spec), in the order they should appear.",
    })
    files: Promise<FileUpload>[],
    @Ctx() context: EntriesContext,
  ) {
    return context.entryMedia.uploadPhotos(entryId, files);
  }

  @Mutation(() => Entry, {
    description:
      "Removes a photo from a DRAFT photo entry and closes the gap in the order; its files are deleted once the change is committed. Errors: NOT_FOUND (no such photo you can see), FORBIDDEN (not your entry), CONFLICT (not a draft), DEADLINE_PASSED.",
  })
  removePhoto(@Arg("photoId", () => ID, { description: "The photo to remove (Photo.id)." }) photoId: string, @Ctx() context: EntriesContext) {
    return context.entryMedia.removePhoto(photoId);
  }

  @Mutation(() => Entry, {
    description:
      "Removes the video of a DRAFT MICRO_VIDEO entry, whatever its status (a FAILED one in particular), so another can be uploaded; the original, its renditions and poster are deleted once the change is committed. Errors: NOT_FOUND (no such entry you can see, or it has no video), FORBIDDEN (not your entry), BAD_USER_INPUT (not a MICRO_VIDEO entry), CONFLICT (not a draft), DEADLINE_PASSED.",
  })
  removeVideo(
    @Arg("entryId", () => ID, { description: "The DRAFT MICRO_VIDEO entry whose video to remove (Entry.id)." }) entryId: string,
    @Ctx() context: EntriesContext,
  ) {
    return context.entryMedia.removeVideo(entryId);
  }

  @Mutation(() => MicroVideo, {
    description:
      "Makes the streaming renditions of a FAILED video again from the same original (the job starts over with all its attempts; status is PROCESSING, then READY or FAILED again with a new failureReason). For a DRAFT or a SUBMITTED entry, whose video can no longer be replaced. Errors: NOT_FOUND (no such entry you can see, or it has no video), FORBIDDEN (not your entry), BAD_USER_INPUT (not a MICRO_VIDEO entry), CONFLICT (the video is not FAILED, with extensions.videoStatus; or the entry is WITHDRAWN or DISQUALIFIED).",
  })
  retryVideoRenditions(
    @Arg("entryId", () => ID, { description: "The MICRO_VIDEO entry whose FAILED video to process again (Entry.id)." }) entryId: string,
    @Ctx() context: EntriesContext,
  ) {
    return context.entryMedia.retryVideoRenditions(entryId);
  }

  @Mutation(() => Entry, {
    description:
      "Puts the photos of a DRAFT photo entry in a new order (positions 1..n). Errors: BAD_USER_INPUT (photoIds is not exactly the entry's photos, each once), NOT_FOUND, FORBIDDEN, CONFLICT (not a draft), DEADLINE_PASSED.",
  })
  reorderPhotos(
    @Arg("entryId", () => ID, { description: "The DRAFT PHOTO_SET or SINGLE_PHOTO entry (Entry.id)." }) entryId: string,
    @Arg("photoIds", () => [ID], { description: "Every photo of the entry (Photo.id), each once, in the new order." }) photoIds: string[],
    @Ctx() context: EntriesContext,
  ) {
    return context.entryMedia.reorderPhotos(entryId, photoIds);
  }

  @Mutation(() => MicroVideo, {
    description:
      "Adds the video to a DRAFT MICRO_VIDEO entry (multipart). MP4 or MOV, judged by content, at most Competition.maxVideoSeconds long. Errors: UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, BAD_USER_INPUT, CONFLICT, DEADLINE_PASSED, FORBIDDEN, NOT_FOUND.",
  })
  uploadVideo(
    @Arg("entryId", () => ID, { description: "The DRAFT MICRO_VIDEO entry to add the video to (Entry.id)." }) entryId: string,
    @Arg("file", () => GraphQLUpload, { description: "The video file, as a multipart file part (GraphQL multipart request spec)." }) file: Promise<FileUpload>,
    @Ctx() context: EntriesContext,
  ) {
    return context.entryMedia.uploadVideo(entryId, file);
  }
}
