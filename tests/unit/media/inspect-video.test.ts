import childProcess, { type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { makeAudioOnlyMp4, makeJpeg, makeTruncatedMp4, makeVideo } from "../../../subgraphs/entries/media/fixtures";
import { inspectVideo, makePoster } from "../../../subgraphs/entries/media/inspect-video";

describe("inspectVideo", () => {
  it("reads an MP4's duration, dimensions and codec", async () => {
    const result = await inspectVideo(await makeVideo({ seconds: 3, width: 320, height: 240 }));
    expect(result).toMatchObject({ mimeType: "video/mp4", width: 320, height: 240, codec: "h264" });
    expect(result.durationSeconds).toBeCloseTo(3, 1);
  });

  it("accepts QuickTime MOV", async () => {
    const result = await inspectVideo(await makeVideo({ container: "mov", seconds: 2 }));
    expect(result).toMatchObject({ mimeType: "video/quicktime", width: 320, height: 240, codec: "h264" });
    expect(result.durationSeconds).toBeCloseTo(2, 1);
  });

  it("reports dimensions as displayed for a video recorded with a phone held upright", async () => {
    const result = await inspectVideo(await makeVideo({ rotate: 90 }));
    expect([result.width, result.height]).toEqual([240, 320]);
  });

  it("refuses a video longer than the limit, naming the figures", async () => {
    await expect(inspectVideo(await makeVideo({ seconds: 3 }), { maxSeconds: 2 })).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", maxSeconds: 2 },
    });
  });

  it("refuses WebM and non-video files as UNSUPPORTED_MEDIA_TYPE", async () => {
    await expect(inspectVideo(await makeVideo({ container: "webm", seconds: 1 }))).rejects.toMatchObject({
      extensions: { code: "UNSUPPORTED_MEDIA_TYPE", detected: "video/webm" },
    });
    await expect(inspectVideo(await makeJpeg())).rejects.toMatchObject({ extensions: { code: "UNSUPPORTED_MEDIA_TYPE", detected: "image/jpeg" } });
  });

  it("refuses an MP4 with no video track", async () => {
    await expect(inspectVideo(await makeAudioOnlyMp4())).rejects.toMatchObject({
      message: expect.stringMatching(/no video track/),
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("refuses a truncated MP4 that ffprobe cannot parse", async () => {
    await expect(inspectVideo(await makeTruncatedMp4())).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
  });

  it("gives up when ffprobe exceeds its time limit", async () => {
    await expect(inspectVideo(await makeVideo(), { timeoutMs: 1 })).rejects.toMatchObject({
      message: expect.stringMatching(/in time/),
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  // The flake seen on a busy machine, made to happen every time: the event loop is held until ffprobe has finished
  // (it is a zombie waiting to be reaped), so the time limit's timer and the child's successful exit are due in the
  // same turn. The outcome must still be "too slow", not a cut-off answer read as a damaged file.
  it("calls it a timeout when ffprobe finishes in the same instant as its time limit", async () => {
    const video = await makeVideo();
    const realExecFile = childProcess.execFile;
    const spawned: ChildProcess[] = [];
    const spy = jest.spyOn(childProcess, "execFile").mockImplementation(((...args: Parameters<typeof realExecFile>) => {
      const child = (realExecFile as (...a: unknown[]) => ChildProcess)(...args);
      spawned.push(child);
      // After the caller has armed its time limit (in the same synchronous step as the spawn), before any I/O.
      process.nextTick(() => holdUntilExited(child.pid!));
      return child;
    }) as typeof realExecFile);
    try {
      await expect(inspectVideo(video, { timeoutMs: 1 })).rejects.toMatchObject({
        message: expect.stringMatching(/in time/),
        extensions: { code: "BAD_USER_INPUT" },
      });
      expect(spawned).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("makePoster", () => {
  it("extracts one frame as a JPEG of the video's size", async () => {
    const poster = await makePoster(await makeVideo({ width: 320, height: 240 }));
    expect(poster).not.toBeNull();
    const metadata = await sharp(poster!).metadata();
    expect(metadata).toMatchObject({ format: "jpeg", width: 320, height: 240 });
  });

  it("turns the frame upright for a video recorded with a phone held upright", async () => {
    const poster = await makePoster(await makeVideo({ rotate: 90 }));
    expect(await sharp(poster!).metadata()).toMatchObject({ width: 240, height: 320 });
  });

  it("falls back to the first frame when asked for a moment past the end", async () => {
    const poster = await makePoster(await makeVideo({ seconds: 1 }), { atSeconds: 30 });
    expect((await sharp(poster!).metadata()).format).toBe("jpeg");
  });

  it("returns null rather than failing when ffmpeg cannot read the file", async () => {
    expect(await makePoster(await makeJpeg())).toBeNull();
  });

  it("returns null when ffmpeg is not installed", async () => {
    const video = await makeVideo();
    let isolated: typeof import("../../../subgraphs/entries/media/inspect-video") | undefined;
    jest.isolateModules(() => {
      jest.doMock("@ffmpeg-installer/ffmpeg", () => {
        throw "Unsupported platform/architecture: sparc-sunos";
      });
      isolated = require("../../../subgraphs/entries/media/inspect-video");
    });
    expect(await isolated!.makePoster(video)).toBeNull();

    jest.isolateModules(() => {
      jest.doMock("@ffmpeg-installer/ffmpeg", () => ({ path: "/nonexistent/ffmpeg" }));
      isolated = require("../../../subgraphs/entries/media/inspect-video");
    });
    expect(await isolated!.makePoster(video)).toBeNull();
  });
});

/** Blocks the event loop until the process has exited (Linux: state Z in /proc), at most 60 s. */
function holdUntilExited(pid: number): void {
  const giveUpAt = Date.now() + 60_000;
  while (Date.now() < giveUpAt) {
    let state: string;
    try {
      state = readFileSync(`/proc/${pid}/stat`, "utf8")
        .replace(/^.*\) /s, "")
        .charAt(0);
    } catch {
      return;
    }
    if (state === "Z" || state === "X") return;
  }
  throw new Error(`process ${pid} still running after 60 s`);
}
