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
      "Joins the parts and checks the file by content (magic bytes, probe, duration, duplicates) in a job on the server that goes on if the connection drops; the entry changes only if every check passes, and a refused file's bytes are removed. Waits a few seconds for the checks: a small file comes back attached (Entry.video set) or refused with its error; otherwise the entry comes back unchanged while the upload is CHECKING, and mediaUpload(id) tells when it is ATTACHED or REJECTED (with failure). Safe to call again. Errors: BAD_USER_INPUT (parts missing, with extensions.missingParts; or a damaged or too long video), UNSUPPORTED_MEDIA_TYPE, CONFLICT, DEADLINE_PASSED, FORBIDDEN, NOT_FOUND (unknown or expired upload).",
  })
  completeMediaUpload(@Arg("uploadId", () => ID, { description: "MediaUpload.id from startMediaUpload." }) uploadId: string, @Ctx() context: EntriesContext) {
    return context.entryMedia.completeUpload(uploadId);
  }

  @Query(() => MediaUpload, {
    description:
      "An upload with the parts received so far (a client that lost its connection sends only the rest) and its status: OPEN, CHECKING, ATTACHED or REJECTED with failure. A finished upload stays readable until it expires. Same callers as startMediaUpload. Errors: NOT_FOUND (unknown or expired).",
  })
  mediaUpload(@Arg("id", () => ID, { description: "MediaUpload.id." }) id: string, @Ctx() context: EntriesContext) {
    return context.entryMedia.uploadStatus(id);
  }
}
