// Judges a received micro-video by its content (container magic bytes, then ffprobe) and grabs a poster frame with ffmpeg.
//
// Accepted containers: MP4 (and its M4V variant) and QuickTime MOV, which is what phones and cameras record and
// what the judges' and exhibition players are given. WebM, MKV, AVI and the rest are refused with a message to
// export MP4 (H.264): they rarely come from a camera, Safari plays WebM poorly, and a smaller set of demuxers
// is a smaller attack surface (ffprobe is pinned to the mov/mp4 demuxer below, whatever the file says).
import { execFile } from "node:child_process";
import { fileTypeFromBuffer, fileTypeFromFile } from "file-type/node";
import { ErrorCode, badInput, codedError } from "../../../lib/errors";
import { logger } from "../../../lib/logger";

export interface VideoLimits {
  /** Longest accepted duration; default 180 s. */
  maxSeconds?: number;
  /** How long ffprobe may run; default 15 s. */
  timeoutMs?: number;
}

export const DEFAULT_MAX_VIDEO_SECONDS = 180;
export const DEFAULT_PROBE_TIMEOUT_MS = 15_000;

export interface VideoInspection {
  mimeType: "video/mp4" | "video/quicktime";
  durationSeconds: number;
  /** As displayed, i.e. after the rotation phones record in the stream is applied. */
  width: number;
  height: number;
  /** ffprobe's codec name, e.g. "h264", "hevc". */
  codec: string;
}

const ACCEPTED: Record<string, VideoInspection["mimeType"]> = {
  "video/mp4": "video/mp4",
  "video/x-m4v": "video/mp4",
  "video/quicktime": "video/quicktime",
};

/** ffprobe's JSON is small (a few KB); a larger answer means something odd and is cut off. */
const PROBE_MAX_BUFFER = 1024 * 1024;
/** One JPEG frame of up to 4K video. */
const POSTER_MAX_BUFFER = 16 * 1024 * 1024;

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}
interface ProbeResult {
  streams?: ProbeStream[];
  format?: { duration?: string };
}

/** Bytes from the start of a file that are enough to tell its type (file-type reads at most this many). */
export const VIDEO_HEAD_BYTES = 4100;

/** A received video as a local file. */
export async function inspectVideo(filePath: string, limits: VideoLimits = {}): Promise<VideoInspection> {
  return inspectVideoSource({ detected: await fileTypeFromFile(filePath), input: `file:${filePath}` }, limits);
}

/**
 * A stored video read where it lies: its first VIDEO_HEAD_BYTES bytes, and a URL ffprobe reads with Range requests
 * (it fetches the boxes it needs, not the whole file), so a large object in a bucket is judged without a download.
 */
export async function inspectRemoteVideo(head: Buffer, url: string, limits: VideoLimits = {}): Promise<VideoInspection> {
  if (!/^https?:\/\//.test(url)) throw new Error("inspectRemoteVideo: an http(s) URL is required");
  return inspectVideoSource({ detected: await fileTypeFromBuffer(head), input: url, protocols: "http,https,tcp,tls" }, limits);
}

async function inspectVideoSource(
  source: { detected: Awaited<ReturnType<typeof fileTypeFromBuffer>>; input: string; protocols?: string },
  limits: VideoLimits,
): Promise<VideoInspection> {
  const maxSeconds = limits.maxSeconds ?? DEFAULT_MAX_VIDEO_SECONDS;

  const detected = source.detected;
  const mimeType = detected ? ACCEPTED[detected.mime] : undefined;
  if (!mimeType) {
    const what = detected ? `a ${detected.ext.toUpperCase()} file (${detected.mime})` : "not a video we recognise";
    throw codedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `Videos must be MP4 or MOV; this file is ${what}. Export it as MP4 (H.264) and upload it again.`, {
      detected: detected?.mime ?? null,
      accepted: ["video/mp4", "video/quicktime"],
    });
  }

  const ffprobe = ffprobePath();
  let output: string;
  try {
    output = await run(
      ffprobe,
      // -f mov: only the MP4/MOV demuxer may read this file; "file:" stops a name being read as a protocol, and a
      // URL may use only the protocols it needs (the demuxer must not follow a reference inside the file elsewhere).
      [
        "-v",
        "error",
        ...(source.protocols ? ["-protocol_whitelist", source.protocols] : []),
        "-f",
        "mov",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        source.input,
      ],
      { timeout: limits.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, maxBuffer: PROBE_MAX_BUFFER, encoding: "utf8" },
    );
  } catch (error) {
    if (error instanceof TimeLimitExceeded) throw badInput("The video could not be analysed in time; it may be damaged. Export it again as MP4 (H.264).");
    if (!failedOnTheFile(error)) throw error;
    throw badInput("The video is damaged or incomplete and cannot be read. Export it again as MP4 (H.264).");
  }

  let probe: ProbeResult;
  try {
    probe = JSON.parse(output) as ProbeResult;
  } catch {
    throw badInput("The video is damaged or incomplete and cannot be read. Export it again as MP4 (H.264).");
  }
  // Cover art in a file is a "video" stream too; it is not a moving picture.
  const video = probe.streams?.find((stream) => stream.codec_type === "video" && !stream.disposition?.attached_pic);
  if (!video || !video.width || !video.height || !video.codec_name) {
    throw badInput("The file contains no video track.");
  }
  const durationSeconds = Number(probe.format?.duration ?? video.duration);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw badInput("The video's duration cannot be determined; it may be damaged. Export it again as MP4 (H.264).");
  }
  if (durationSeconds > maxSeconds) {
    throw badInput(`The video lasts ${durationSeconds.toFixed(1)} s; at most ${maxSeconds} s are accepted.`, { durationSeconds, maxSeconds });
  }

  const quarterTurn = Math.abs(rotationOf(video)) % 180 === 90;
  return {
    mimeType,
    durationSeconds,
    width: quarterTurn ? video.height : video.width,
    height: quarterTurn ? video.width : video.height,
    codec: video.codec_name,
  };
}

export interface PosterOptions {
  /** Where to take the frame; default 1 s in, or the start of a shorter video. */
  atSeconds?: number;
  /** Known duration, so a short video's frame is taken inside it. */
  durationSeconds?: number;
  timeoutMs?: number;
}

/**
 * One frame as a JPEG, or null when ffmpeg is missing or fails: a poster is a nicety, and the video itself has
 * already passed inspectVideo, so its absence must not fail the upload.
 */
export async function makePoster(filePath: string, options: PosterOptions = {}): Promise<Buffer | null> {
  const ffmpeg = ffmpegPath();
  if (!ffmpeg) return null;
  const wanted = options.atSeconds ?? 1;
  const at = options.durationSeconds !== undefined ? Math.min(wanted, options.durationSeconds / 2) : wanted;
  const args = (seconds: number) => [
    "-v",
    "error",
    "-ss",
    seconds.toFixed(3),
    "-f",
    "mov",
    "-i",
    `file:${filePath}`,
    "-frames:v",
    "1",
    "-f",
    "image2pipe",
    "-c:v",
    "mjpeg",
    "-q:v",
    "3",
    "pipe:1",
  ];
  const execOptions = { timeout: options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, maxBuffer: POSTER_MAX_BUFFER, encoding: "buffer" as const };
  try {
    let frame = await run(ffmpeg, args(at), execOptions);
    // Seeking past the last frame yields nothing; the first frame is better than no poster.
    if (frame.length === 0 && at > 0) frame = await run(ffmpeg, args(0), execOptions);
    return frame.length > 0 ? frame : null;
  } catch (error) {
    logger.warn("video poster could not be made", { error });
    return null;
  }
}

type ExecError = Error & { code?: number | string };

/** The child ran past its time limit; decided by run()'s own timer alone, so the outcome cannot race the exit. */
class TimeLimitExceeded extends Error {}

/** A non-zero exit or an oversized answer is the file's doing; a spawn error (ENOENT, EACCES) is ours. */
function failedOnTheFile(error: unknown): boolean {
  const { code } = error as ExecError;
  return typeof code === "number" || code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER";
}

function run(file: string, args: string[], options: { timeout: number; maxBuffer: number; encoding: "utf8" }): Promise<string>;
function run(file: string, args: string[], options: { timeout: number; maxBuffer: number; encoding: "buffer" }): Promise<Buffer>;
function run(file: string, args: string[], options: { timeout: number; maxBuffer: number; encoding: "utf8" | "buffer" }): Promise<string | Buffer> {
  const { timeout, ...execOptions } = options;
  return new Promise((resolve, reject) => {
    // Our own timer rather than execFile's timeout: with that one, a child that exits in the same instant as the
    // timer (usual on a busy machine) is reported as a success with its output cut off, which reads as a damaged
    // file. Here, once the limit has passed the outcome is "too slow", whatever the child did meanwhile: the clock
    // decides, not which of the timer and the child's exit the event loop happens to deliver first.
    const started = performance.now();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const child = execFile(file, args, { ...execOptions, killSignal: "SIGKILL", windowsHide: true }, (error, stdout) => {
      clearTimeout(timer);
      if (timedOut || performance.now() - started >= timeout) reject(new TimeLimitExceeded(`${file} ran past its ${timeout} ms limit`));
      else if (error) reject(error);
      else resolve(stdout);
    });
    timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeout);
  });
}

/** Degrees the player must turn the picture; newer ffprobe reports a display matrix, older a "rotate" tag. */
function rotationOf(stream: ProbeStream): number {
  const fromMatrix = stream.side_data_list?.find((entry) => typeof entry.rotation === "number")?.rotation;
  if (fromMatrix !== undefined) return fromMatrix;
  const fromTag = Number(stream.tags?.rotate);
  return Number.isFinite(fromTag) ? fromTag : 0;
}

// The binaries ship inside npm packages (nothing is downloaded); requiring lazily lets the rest of the
// service start, and photos keep working, on a platform the packages do not cover.
function ffprobePath(): string {
  try {
    return (require("@ffprobe-installer/ffprobe") as { path: string }).path;
  } catch (error) {
    // The package throws a bare string; make it an Error so it is logged with a stack.
    throw new Error(`ffprobe is not available on this platform: ${String(error)}`);
  }
}

function ffmpegPath(): string | null {
  try {
    return (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  } catch {
    return null;
  }
}
