// Generates sample media (good, broken and hostile) at run time for tests and demo data, cached in a temp folder.
//
// Nothing binary is committed: every file is made with sharp or ffmpeg from a description, and the name of the
// cached file is derived from that description, so changing a parameter makes a new file instead of reusing one.
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import sharp from "sharp";

const execFileAsync = promisify(execFile);

/** Bump when a generator changes, so caches made by the old one are not reused. */
const GENERATOR_VERSION = 2;

export function fixtureCacheDir(): string {
  return path.join(os.tmpdir(), `image-china-media-fixtures-v${GENERATOR_VERSION}`);
}

export interface FixtureExif {
  make?: string;
  model?: string;
  lensModel?: string;
  /** EXIF format, "YYYY:MM:DD HH:mm:ss". */
  dateTimeOriginal?: string;
  offsetTimeOriginal?: string;
  iso?: number;
  /** As an EXIF rational, e.g. "1/250". */
  exposureTime?: string;
  /** As an EXIF rational, e.g. "28/10" for f/2.8. */
  fNumber?: string;
  /** As an EXIF rational in millimetres, e.g. "50/1". */
  focalLength?: string;
}

export const SAMPLE_EXIF: Required<FixtureExif> = {
  make: "Canon",
  model: "Canon EOS R5",
  lensModel: "RF24-105mm F4 L IS USM",
  dateTimeOriginal: "2024:05:01 10:20:30",
  offsetTimeOriginal: "+08:00",
  iso: 400,
  exposureTime: "1/250",
  fNumber: "8/1",
  focalLength: "50/1",
};

export interface JpegFixtureOptions {
  width?: number;
  height?: number;
  /** EXIF to embed; false for none. Default SAMPLE_EXIF. */
  exif?: FixtureExif | false;
  /** EXIF orientation tag (1–8); 6 means "turn 90° clockwise to display", as phones held upright write. */
  orientation?: number;
  /** Varies the picture, so demo photos do not all look alike. */
  hue?: number;
}

/** A JPEG photo (a colour gradient with shapes) of the given size, with EXIF. */
export async function makeJpeg(options: JpegFixtureOptions = {}): Promise<string> {
  const { width = 2400, height = 1600, exif = SAMPLE_EXIF, orientation, hue = 200 } = options;
  return cached(`photo-${width}x${height}-h${hue}-o${orientation ?? 0}-${digest(exif)}.jpg`, async () => {
    let image = sharp(pictureSvg(width, height, hue)).jpeg({ quality: 85 });
    if (orientation) image = image.withMetadata({ orientation });
    if (exif) image = image.withExif(toSharpExif(exif));
    return image.toBuffer();
  });
}

/** A PNG picture of the given size (no EXIF, as PNG exports usually have none). */
export async function makePng(options: { width?: number; height?: number; hue?: number } = {}): Promise<string> {
  const { width = 2000, height = 2000, hue = 120 } = options;
  return cached(`picture-${width}x${height}-h${hue}.png`, () =>
    sharp(pictureSvg(width, height, hue))
      .png()
      .toBuffer(),
  );
}

/** A real JPEG cut off halfway through its pixel data, as an interrupted copy leaves it (headers intact). */
export async function makeTruncatedJpeg(): Promise<string> {
  return cached("truncated.jpg", async () => {
    // Noise makes the compressed pixel data large, so the cut lands well inside it.
    const whole = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: "#000", noise: { type: "gaussian", mean: 128, sigma: 40 } } })
      .jpeg({ quality: 85 })
      .toBuffer();
    return whole.subarray(0, Math.floor(whole.length * 0.6));
  });
}

/**
 * A decompression bomb: a valid PNG of width × height black-and-white pixels (default 20000 × 20000, i.e. 400
 * megapixels, several GB once decoded to RGB) that compresses to about 50 KB. Written by hand, because asking
 * sharp to make it would mean processing those pixels.
 */
export async function makePixelBombPng(options: { width?: number; height?: number } = {}): Promise<string> {
  const { width = 20000, height = 20000 } = options;
  return cached(`pixel-bomb-${width}x${height}.png`, async () => {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 1; // bit depth 1
    header[9] = 0; // greyscale
    // Each row: filter byte 0 followed by width bits, all zero.
    const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk("IHDR", header),
      pngChunk("IDAT", zlib.deflateSync(rows, { level: 9 })),
      pngChunk("IEND", Buffer.alloc(0)),
    ]);
  });
}

/** An HTML page saved under a photo's name: what a wrong "Save as" or a hostile upload produces. */
export async function makeHtmlNamedJpg(): Promise<string> {
  return cached("not-a-photo.jpg", async () =>
    Buffer.from('<!DOCTYPE html>\n<html><head><title>Photo</title></head><body><script>alert("hi")</script></body></html>\n'),
  );
}

/**
 * The first bytes of an HEIC file (an ISO-BMFF "ftyp" box with the heic brand). Nothing on this machine can
 * encode HEVC, and only the signature matters: HEIC is refused before any decoding.
 */
export async function makeHeicSignature(): Promise<string> {
  return cached("iphone.heic", async () => {
    const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypheic"), Buffer.from([0, 0, 0, 0]), Buffer.from("mif1heic")]);
    return Buffer.concat([ftyp, Buffer.alloc(256)]);
  });
}

export interface VideoFixtureOptions {
  seconds?: number;
  width?: number;
  height?: number;
  /** Container: MP4 (default), QuickTime MOV, or WebM (VP9), which inspectVideo refuses. */
  container?: "mp4" | "mov" | "webm";
  /** Rotation metadata as phones write it (90 for a phone held upright). */
  rotate?: number;
}

/** A short test-pattern video (ffmpeg's lavfi testsrc), H.264 unless WebM is asked for. */
export async function makeVideo(options: VideoFixtureOptions = {}): Promise<string> {
  const { seconds = 3, width = 320, height = 240, container = "mp4", rotate } = options;
  if (rotate) {
    // Rotation is written as a display matrix only when remuxing (stream copy), as a phone's file has it.
    const upright = await makeVideo({ ...options, rotate: undefined });
    return cached(`video-${seconds}s-${width}x${height}-r${rotate}.${container}`, async (output) => {
      await ffmpeg(["-i", upright, "-c", "copy", "-metadata:s:v:0", `rotate=${rotate}`, "-f", container, output]);
    });
  }
  return cached(`video-${seconds}s-${width}x${height}.${container}`, async (output) => {
    const codec = container === "webm" ? ["-c:v", "libvpx-vp9", "-deadline", "realtime"] : ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];
    // A minute at the usual test sizes; long full-HD clips (the upload bench's 60 s 1080p) get time in proportion.
    const timeoutMs = Math.max(60_000, seconds * ((width * height) / 1e6) * 5_000);
    await ffmpeg(
      [
        "-f",
        "lavfi",
        "-i",
        `testsrc=duration=${seconds}:size=${width}x${height}:rate=25`,
        ...codec,
        ...(container === "webm" ? [] : ["-movflags", "+faststart"]),
        "-f",
        container,
        output,
      ],
      timeoutMs,
    );
  });
}

/** The metadata makeVideoWithMetadata writes, as a phone or an editor would: who, where, when, with what, and chapters. */
export const SAMPLE_VIDEO_METADATA = {
  title: "Harvest at Dawn (draft 3)",
  artist: "Zhang Wei",
  location: "+39.9042+116.4074/",
  creationTime: "2024-05-01T10:20:30Z",
  make: "Apple",
  model: "iPhone 15 Pro",
  chapters: ["Opening Scene", "Closing Scene"],
};

/**
 * A QuickTime MOV with sound, carrying SAMPLE_VIDEO_METADATA in its global and stream metadata (including the
 * ISO 6709 location and creation time phones write, as QuickTime metadata keys) and two chapters.
 */
export async function makeVideoWithMetadata(options: { seconds?: number; width?: number; height?: number } = {}): Promise<string> {
  const { seconds = 2, width = 320, height = 240 } = options;
  const meta = SAMPLE_VIDEO_METADATA;
  return cached(`video-metadata-${seconds}s-${width}x${height}-${digest(meta)}.mov`, async (output) => {
    const half = Math.round((seconds * 1000) / 2);
    const chapters = `${output}.chapters.txt`;
    await fs.writeFile(
      chapters,
      `;FFMETADATA1\ntitle=${meta.title}\nartist=${meta.artist}\n` +
        meta.chapters.map((title, index) => `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${index * half}\nEND=${(index + 1) * half}\ntitle=${title}\n`).join(""),
    );
    try {
      await ffmpeg([
        "-f",
        "lavfi",
        "-i",
        `testsrc=duration=${seconds}:size=${width}x${height}:rate=25`,
        "-f",
        "lavfi",
        "-i",
        `sine=frequency=440:duration=${seconds}`,
        "-i",
        chapters,
        "-map",
        "0:v",
        "-map",
        "1:a",
        "-map_metadata",
        "2",
        "-map_chapters",
        "2",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-metadata",
        `title=${meta.title}`,
        "-metadata",
        `artist=${meta.artist}`,
        "-metadata",
        `author=${meta.artist}`,
        "-metadata",
        `location=${meta.location}`,
        "-metadata",
        `com.apple.quicktime.location.ISO6709=${meta.location}`,
        "-metadata",
        `creation_time=${meta.creationTime}`,
        "-metadata",
        `com.apple.quicktime.creationdate=${meta.creationTime}`,
        "-metadata",
        `make=${meta.make}`,
        "-metadata",
        `model=${meta.model}`,
        "-metadata",
        `com.apple.quicktime.model=${meta.model}`,
        "-metadata:s:v:0",
        `creation_time=${meta.creationTime}`,
        "-metadata:s:a:0",
        `creation_time=${meta.creationTime}`,
        "-metadata:s:v:0",
        `handler_name=${meta.model} Video`,
        "-movflags",
        "+use_metadata_tags",
        "-f",
        "mov",
        output,
      ]);
    } finally {
      await fs.rm(chapters, { force: true });
    }
  });
}

/** An MP4 holding only a sine tone: the right container, but no picture. */
export async function makeAudioOnlyMp4(): Promise<string> {
  return cached("audio-only.mp4", async (output) => {
    await ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", "-f", "mp4", output]);
  });
}

/** An MP4 cut in half with its index (moov) at the end, so the cut loses it, as an interrupted upload would. */
export async function makeTruncatedMp4(): Promise<string> {
  return cached("truncated.mp4", async (output) => {
    const whole = `${output}.whole`;
    await ffmpeg([
      "-f",
      "lavfi",
      "-i",
      "testsrc=duration=3:size=320x240:rate=25",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
      "-f",
      "mp4",
      whole,
    ]);
    const bytes = await fs.readFile(whole);
    await fs.rm(whole, { force: true });
    return bytes.subarray(0, Math.floor(bytes.length / 2));
  });
}

/**
 * Returns the cached file, making it first if needed. The maker returns the bytes, or writes to the path it is
 * given; either way the result is renamed into place, so parallel test workers never see a half-written file.
 */
async function cached(name: string, make: (outputPath: string) => Promise<Buffer | void>): Promise<string> {
  const dir = fixtureCacheDir();
  const finalPath = path.join(dir, name);
  try {
    await fs.access(finalPath);
    return finalPath;
  } catch {
    // not made yet
  }
  await fs.mkdir(dir, { recursive: true });
  const extension = path.extname(name);
  const tempPath = path.join(dir, `.${randomUUID()}${extension}`);
  try {
    const bytes = await make(tempPath);
    if (bytes) await fs.writeFile(tempPath, bytes);
    await fs.rename(tempPath, finalPath);
  } finally {
    await fs.rm(tempPath, { force: true });
  }
  return finalPath;
}

async function ffmpeg(args: string[], timeoutMs = 60_000): Promise<void> {
  const binary = (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  await execFileAsync(binary, ["-v", "error", "-nostdin", "-y", ...args], { timeout: timeoutMs });
}

function pictureSvg(width: number, height: number, hue: number): Buffer {
  const radius = Math.round(Math.min(width, height) / 5);
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="hsl(${hue}, 70%, 75%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360}, 60%, 35%)"/>
  </linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#sky)"/>
  <circle cx="${Math.round(width * 0.7)}" cy="${Math.round(height * 0.3)}" r="${radius}" fill="hsl(${(hue + 180) % 360}, 80%, 60%)"/>
  <polygon points="0,${height} ${Math.round(width * 0.35)},${Math.round(height * 0.45)} ${Math.round(width * 0.7)},${height}" fill="hsl(${hue}, 30%, 20%)"/>
</svg>`);
}

function toSharpExif(exif: FixtureExif): sharp.Exif {
  const ifd0: Record<string, string> = {};
  const exifIfd: Record<string, string> = {};
  if (exif.make) ifd0.Make = exif.make;
  if (exif.model) ifd0.Model = exif.model;
  if (exif.lensModel) exifIfd.LensModel = exif.lensModel;
  if (exif.dateTimeOriginal) exifIfd.DateTimeOriginal = exif.dateTimeOriginal;
  if (exif.offsetTimeOriginal) exifIfd.OffsetTimeOriginal = exif.offsetTimeOriginal;
  if (exif.iso) exifIfd.ISOSpeedRatings = String(exif.iso);
  if (exif.exposureTime) exifIfd.ExposureTime = exif.exposureTime;
  if (exif.fNumber) exifIfd.FNumber = exif.fNumber;
  if (exif.focalLength) exifIfd.FocalLength = exif.focalLength;
  // libvips numbers the IFDs: 0 is the main image, 2 the Exif sub-IFD.
  return { IFD0: ifd0, IFD2: exifIfd };
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 10);
}
