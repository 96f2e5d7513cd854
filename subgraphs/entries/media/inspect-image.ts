// Judges a received photo by its content: real format, a full decode within a pixel budget, size rules, and EXIF.
//
// HEIC/HEIF (the iPhone default) is refused on purpose: sharp's prebuilt libvips ships libheif without an
// HEVC decoder (patent licensing; it reads AVIF only), and nothing may be downloaded at run time to add one.
// Venues get an UNSUPPORTED_MEDIA_TYPE message telling them to export the photo as JPEG (the iPhone
// setting "Most Compatible" does it at capture time). Everything other than JPEG and PNG is refused the same way.
//
// A decompression bomb (small file, huge declared dimensions) is refused from its header, before any pixel is
// decoded, with PAYLOAD_TOO_LARGE: the file is too large in pixels, which the venue fixes by resizing it.
import exifReader from "exif-reader";
import { fileTypeFromFile } from "file-type/node";
import sharp from "sharp";
import { ErrorCode, badInput, codedError } from "../../../lib/errors";

export interface ImageLimits {
  /** Largest width × height decoded; default 100 megapixels. */
  maxPixels?: number;
  /** Smallest accepted long side in pixels; default 1600. */
  minLongSide?: number;
}

export const DEFAULT_MAX_PIXELS = 100_000_000;
export const DEFAULT_MIN_LONG_SIDE = 1600;

export interface PhotoExif {
  camera: string | null;
  lens: string | null;
  /**
   * DateTimeOriginal as the camera's wall clock, "YYYY-MM-DDTHH:mm:ss", with its offset appended when the
   * camera recorded one (OffsetTimeOriginal). Without an offset the instant is unknown, so no Date is made up.
   */
  takenAt: string | null;
  iso: number | null;
  /** Seconds, e.g. 0.004 for 1/250 s. */
  exposureTime: number | null;
  fNumber: number | null;
  /** Millimetres. */
  focalLength: number | null;
}

export interface ImageInspection {
  format: "jpeg" | "png";
  mimeType: "image/jpeg" | "image/png";
  /** As displayed, i.e. after the EXIF orientation is applied (the same way round as the derived sizes). */
  width: number;
  height: number;
  exif: PhotoExif | null;
}

const ACCEPTED = {
  "image/jpeg": "jpeg",
  "image/png": "png",
} as const;
type AcceptedMime = keyof typeof ACCEPTED;
const HEIF_TYPES = new Set(["image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"]);

/**
 * Sharp options for untrusted photos. failOn "error" refuses truncated and corrupt pixel data but tolerates
 * decoder warnings (e.g. "extraneous bytes before marker") that many real cameras produce.
 */
export function untrustedImageOptions(maxPixels: number = DEFAULT_MAX_PIXELS): sharp.SharpOptions {
  return { failOn: "error", limitInputPixels: maxPixels };
}

export async function inspectImage(filePath: string, limits: ImageLimits = {}): Promise<ImageInspection> {
  const maxPixels = limits.maxPixels ?? DEFAULT_MAX_PIXELS;
  const minLongSide = limits.minLongSide ?? DEFAULT_MIN_LONG_SIDE;

  const detected = await fileTypeFromFile(filePath);
  if (detected && HEIF_TYPES.has(detected.mime)) {
    throw codedError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      "HEIC/HEIF photos are not accepted. Export the photo as JPEG (on iPhone: Settings › Camera › Formats › Most Compatible) and upload it again.",
      { detected: detected.mime, accepted: Object.keys(ACCEPTED) },
    );
  }
  if (!detected || !(detected.mime in ACCEPTED)) {
    const what = detected ? `a ${detected.ext.toUpperCase()} file (${detected.mime})` : "not an image we recognise";
    throw codedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `Photos must be JPEG or PNG; this file is ${what}, whatever its name says.`, {
      detected: detected?.mime ?? null,
      accepted: Object.keys(ACCEPTED),
    });
  }
  const mimeType = detected.mime as AcceptedMime;
  const format = ACCEPTED[mimeType];

  // The header is read without the pixel limit (no pixel is decoded) so a refusal can name the dimensions.
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(filePath, { ...untrustedImageOptions(maxPixels), limitInputPixels: false }).metadata();
  } catch {
    throw badInput("The photo is corrupt: its header cannot be read.");
  }
  const { width, height } = metadata;
  if (width * height > maxPixels) {
    throw codedError(ErrorCode.PAYLOAD_TOO_LARGE, `The photo is ${width} × ${height} pixels; at most ${formatMegapixels(maxPixels)} megapixels are accepted.`, {
      width,
      height,
      maxPixels,
    });
  }
  const longSide = Math.max(width, height);
  if (longSide < minLongSide) {
    throw badInput(`The photo is ${width} × ${height} pixels; its long side must be at least ${minLongSide} pixels.`, { width, height, minLongSide });
  }

  // Decoding every pixel is what finds a truncated or corrupt file; stats() does it streaming, holding no full bitmap.
  try {
    await sharp(filePath, untrustedImageOptions(maxPixels)).stats();
  } catch (error) {
    if (/pixel limit/i.test(String((error as Error)?.message))) {
      throw codedError(ErrorCode.PAYLOAD_TOO_LARGE, `The photo exceeds the limit of ${formatMegapixels(maxPixels)} megapixels.`, { maxPixels });
    }
    throw badInput("The photo is truncated or corrupt and cannot be decoded; please export it again.");
  }

  const swapsSides = (metadata.orientation ?? 1) >= 5;
  return {
    format,
    mimeType,
    width: swapsSides ? height : width,
    height: swapsSides ? width : height,
    exif: metadata.exif ? readPhotoExif(metadata.exif) : null,
  };
}

/** The camera facts we show with a photo; null when the EXIF block is unreadable or says nothing useful. */
export function readPhotoExif(buffer: Buffer): PhotoExif | null {
  let parsed: exifReader.Exif;
  try {
    parsed = exifReader(buffer);
  } catch {
    // Broken EXIF is common (edited files) and never a reason to refuse a photo.
    return null;
  }
  const image = parsed.Image ?? {};
  const photo = parsed.Photo ?? {};
  const make = text(image.Make);
  const model = text(image.Model);
  // Many models already start with the make ("Canon EOS R5"); do not print it twice.
  const camera = make && model && !model.toLowerCase().startsWith(make.toLowerCase()) ? `${make} ${model}` : (model ?? make);
  const lensMake = text(photo.LensMake);
  const lensModel = text(photo.LensModel);
  const lens = lensMake && lensModel && !lensModel.toLowerCase().startsWith(lensMake.toLowerCase()) ? `${lensMake} ${lensModel}` : (lensModel ?? lensMake);

  const result: PhotoExif = {
    camera,
    lens,
    takenAt: wallClock(photo.DateTimeOriginal ?? photo.DateTimeDigitized, text(photo.OffsetTimeOriginal)),
    iso: positive(photo.ISOSpeedRatings ?? photo.PhotographicSensitivity),
    exposureTime: positive(photo.ExposureTime),
    fNumber: positive(photo.FNumber),
    focalLength: positive(photo.FocalLength),
  };
  return Object.values(result).some((value) => value !== null) ? result : null;
}

function text(value: unknown): string | null {
  if (typeof value !== "string") return null;
  // EXIF strings are NUL-padded and sometimes space-padded to a fixed width.
  const trimmed = value.replace(/\0/g, "").trim();
  return trimmed === "" ? null : trimmed;
}

function positive(value: unknown): number | null {
  const number = Array.isArray(value) ? value[0] : value;
  return typeof number === "number" && Number.isFinite(number) && number > 0 ? number : null;
}

/** exif-reader turns the zone-less EXIF date into a Date at UTC; its UTC fields are therefore the camera's wall clock. */
function wallClock(value: unknown, offset: string | null): string | null {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return null;
  const local = value.toISOString().slice(0, 19);
  return offset && /^[+-]\d{2}:\d{2}$/.test(offset) ? `${local}${offset}` : local;
}

function formatMegapixels(pixels: number): string {
  return String(Number((pixels / 1_000_000).toFixed(1)));
}
