// Makes a video's streaming renditions and its poster frame with the ffmpeg shipped in @ffmpeg-installer/ffmpeg:
// H.264/AAC MP4 with faststart, upright, with every metadata atom stripped (global and stream tags, chapters,
// location, creation times, encoder strings), because these files go to judges and the public (blind judging).
import { execFile } from "node:child_process";
import { blankMp4MetadataInFile } from "./mp4-metadata";
import path from "node:path";
import { planRenditions, RenditionTarget } from "./rendition-plan";

export type TranscodeFailure = "timeout" | "decode" | "unavailable" | "aborted";

/** A failed ffmpeg run, with a cause coarse enough to tell the venue (the details go to the log only). */
export class TranscodeError extends Error {
  constructor(
    readonly failure: TranscodeFailure,
    readonly detail: string,
  ) {
    super(`video transcode failed (${failure}): ${detail}`);
  }
}

export interface TranscodeOptions {
  /** The run is killed after this long. */
  timeoutMs: number;
  /** Aborting kills ffmpeg (service shutdown). */
  signal?: AbortSignal;
}

export interface RenditionOutput extends RenditionTarget {
  path: string;
}

/**
 * Everything the rendition job makes of one video, written into dir: the planned renditions (STREAM, and
 * STREAM_1080P where the source has it) and a poster frame taken from the STREAM file.
 */
export async function makeVideoRenditions(
  sourcePath: string,
  source: { width: number; height: number; durationSeconds: number },
  dir: string,
  options: TranscodeOptions,
): Promise<{ renditions: RenditionOutput[]; posterPath: string }> {
  const renditions = planRenditions(source).map((target) => ({ ...target, path: path.join(dir, `${target.rendition}.mp4`) }));
  await transcodeRenditions(sourcePath, renditions, options);
  const posterPath = path.join(dir, "poster.jpg");
  await makePosterFrame(renditions[0].path, posterPath, Math.min(1, source.durationSeconds / 2), options);
  return { renditions, posterPath };
}

/** ffmpeg's output options that strip metadata; repeated for each output file (ffmpeg options apply per output). */
const STRIP_METADATA = [
  "-map_metadata",
  "-1",
  "-map_chapters",
  "-1",
  // bitexact: no "Lavf"/"Lavc" encoder tags and no creation time from the muxer.
  "-fflags",
  "+bitexact",
  "-flags",
  "+bitexact",
];

/** All renditions from one decode of the source: ffmpeg splits the picture and encodes each size. */
export async function transcodeRenditions(inputPath: string, outputs: RenditionOutput[], options: TranscodeOptions): Promise<void> {
  if (outputs.length === 0) throw new Error("transcodeRenditions: no outputs");
  const scale = (input: string, output: RenditionOutput, index: number) => `${input}scale=${output.width}:${output.height},setsar=1,format=yuv420p[v${index}]`;
  const graph =
    outputs.length === 1
      ? scale("[0:v:0]", outputs[0], 0)
      : `[0:v:0]split=${outputs.length}${outputs.map((_, index) => `[s${index}]`).join("")};` +
        outputs.map((output, index) => scale(`[s${index}]`, output, index)).join(";");
  const args = [
    "-v",
    "error",
    "-nostdin",
    "-y",
    // Only the MP4/MOV demuxer may read the file (the upload was judged to be one); "file:" keeps a name from being a protocol.
    "-f",
    "mov",
    "-i",
    `file:${inputPath}`,
    "-filter_complex",
    graph,
  ];
  outputs.forEach((output, index) => {
    args.push(
      "-map",
      `[v${index}]`,
      "-map",
      "0:a:0?",
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-profile:v",
      "high",
      "-crf",
      "23",
      "-maxrate",
      `${output.maxVideoKbps}k`,
      "-bufsize",
      `${output.maxVideoKbps * 2}k`,
      // A keyframe every 2 s, so players can seek and start quickly.
      "-force_key_frames",
      "expr:gte(t,n_forced*2)",
      // Drop the SEI messages, where x264 writes its version and settings.
      "-bsf:v",
      "filter_units=remove_types=6",
      "-c:a",
      "aac",
      "-b:a",
      "128k",
      "-ac",
      "2",
      ...STRIP_METADATA,
      "-movflags",
      "+faststart",
      "-f",
      "mp4",
      `file:${output.path}`,
    );
  });
  await runFfmpeg(args, options);
  // What ffmpeg still writes (an empty udta/meta box, header times) is blanked without moving a byte.
  for (const output of outputs) await blankMp4MetadataInFile(output.path);
}

/** A JPEG poster frame taken atSeconds into a (stripped) rendition; the JPEG carries no metadata either. */
export async function makePosterFrame(inputPath: string, outputPath: string, atSeconds: number, options: TranscodeOptions): Promise<void> {
  const frame = (seconds: number) => [
    "-v",
    "error",
    "-nostdin",
    "-y",
    "-ss",
    seconds.toFixed(3),
    "-f",
    "mov",
    "-i",
    `file:${inputPath}`,
    "-frames:v",
    "1",
    ...STRIP_METADATA,
    "-c:v",
    "mjpeg",
    "-q:v",
    "3",
    "-f",
    "image2",
    `file:${outputPath}`,
  ];
  await runFfmpeg(frame(Math.max(0, atSeconds)), options);
}

function ffmpegBinary(): string {
  try {
    return (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  } catch (error) {
    throw new TranscodeError("unavailable", `ffmpeg is not available on this platform: ${String(error)}`);
  }
}

function runFfmpeg(args: string[], options: TranscodeOptions): Promise<void> {
  const binary = ffmpegBinary();
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { timeout: options.timeoutMs, killSignal: "SIGKILL", signal: options.signal, maxBuffer: 1024 * 1024, windowsHide: true },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const failed = error as Error & { killed?: boolean; code?: number | string; name?: string };
        const detail = String(stderr || failed.message).slice(-2000);
        if (options.signal?.aborted || failed.name === "AbortError") return reject(new TranscodeError("aborted", detail));
        if (failed.killed) return reject(new TranscodeError("timeout", detail));
        if (typeof failed.code === "number") return reject(new TranscodeError("decode", detail));
        reject(new TranscodeError("unavailable", detail));
      },
    );
  });
}
