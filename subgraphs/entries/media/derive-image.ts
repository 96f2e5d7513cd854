// Makes the sizes a photo is served in (THUMBNAIL, DISPLAY) as upright sRGB JPEGs; the ORIGINAL is never rewritten.
import sharp from "sharp";
import { DEFAULT_MAX_PIXELS, untrustedImageOptions } from "./inspect-image";

/** ORIGINAL is the uploaded file byte for byte (EXIF intact), stored as received; the others are made here. */
export type ImageSize = "ORIGINAL" | "DISPLAY" | "THUMBNAIL";
export type DerivedImageSize = Exclude<ImageSize, "ORIGINAL">;

/** Long side in pixels of each derived size. */
export const DERIVED_LONG_SIDE: Record<DerivedImageSize, number> = {
  THUMBNAIL: 400,
  DISPLAY: 1920,
};

export interface DerivedImage {
  buffer: Buffer;
  mimeType: "image/jpeg";
  width: number;
  height: number;
  bytes: number;
}

export interface DeriveOptions {
  /** Same pixel budget as inspectImage, in case this is ever called on a file that skipped it. */
  maxPixels?: number;
}

export async function deriveImageSizes(filePath: string, options: DeriveOptions = {}): Promise<Record<DerivedImageSize, DerivedImage>> {
  const display = await toJpeg(
    sharp(filePath, { ...untrustedImageOptions(options.maxPixels ?? DEFAULT_MAX_PIXELS), autoOrient: true }),
    DERIVED_LONG_SIDE.DISPLAY,
    82,
  );
  // Scaling the display copy down is far cheaper than decoding a 50-megapixel original a second time;
  // it is already upright and sRGB.
  const thumbnail = await toJpeg(sharp(display.buffer), DERIVED_LONG_SIDE.THUMBNAIL, 80);
  return { THUMBNAIL: thumbnail, DISPLAY: display };
}

async function toJpeg(pipeline: sharp.Sharp, longSide: number, quality: number): Promise<DerivedImage> {
  const { data, info } = await pipeline
    .resize({ width: longSide, height: longSide, fit: "inside", withoutEnlargement: true })
    // JPEG has no transparency: put transparent PNG areas on white rather than on whatever colour they hide.
    .flatten({ background: "#ffffff" })
    // Convert through the embedded ICC profile (Adobe RGB, Display P3, CMYK…) and tag the result sRGB, so every
    // browser shows the same colours. No other metadata is copied: derived sizes are public and EXIF can hold GPS.
    .withIccProfile("srgb")
    .jpeg({ quality, progressive: true })
    .toBuffer({ resolveWithObject: true });
  return { buffer: data, mimeType: "image/jpeg", width: info.width, height: info.height, bytes: info.size };
}
