import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { EntriesContext } from "../context";
import { Entry } from "../entry/entry.entity";
import { MediaUpload, StartMediaUploadInput } from "./media-upload.types";

@Resolver()
export class MediaUploadResolver {
  @Mutation(() => MediaUpload, {
    description:
      "Opens a resumable upload for the video of a DRAFT MICRO_VIDEO entry (owner, submission window, kind and declared size are checked now). Replaces the entry's previous unfinished upload. Errors: PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, BAD_USER_INPUT, CONFLICT, DEADLINE_PASSED, FORBIDDEN, NOT_FOUND.",
  })
  startMediaUpload(
    @Arg("input", () => StartMediaUploadInput, { description: "The entry, and the file's size and type." }) input: StartMediaUploadInput,
    @Ctx() context: EntriesContext,
  ) {
    return context.entryMedia.startUpload(input);
  }

  @Mutation(() => Entry, {
    description:
      "Checks the finished upload by content (magic bytes, probe, duration, duplicates) and attaches it to its entry; the entry changes only if every check passes. Errors: BAD_USER_INPUT (parts missing, with extensions.missingParts), UNSUPPORTED_MEDIA_TYPE, CONFLICT, DEADLINE_PASSED, FORBIDDEN, NOT_FOUND (unknown or expired upload).",
  })
  completeMediaUpload(@Arg("uploadId", () => ID, { description: "MediaUpload.id from startMediaUpload." }) uploadId: string, @Ctx() context: EntriesContext) {
    return context.entryMedia.completeUpload(uploadId);
  }

  @Query(() => MediaUpload, {
    description:
      "An unfinished upload with the parts received so far, so a client that lost its connection sends only the rest. Same callers as startMediaUpload. Errors: NOT_FOUND (unknown, expired or completed).",
  })
  mediaUpload(@Arg("id", () => ID, { description: "MediaUpload.id." }) id: string, @Ctx() context: EntriesContext) {
    return context.entryMedia.uploadStatus(id);
  }
}
