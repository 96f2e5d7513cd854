import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { makeHeicSignature, makeHtmlNamedJpg, makeJpeg, makePixelBombPng, makePng, makeTruncatedJpeg } from "../../../subgraphs/entries/media/fixtures";
import { inspectImage, readPhotoExif } from "../../../subgraphs/entries/media/inspect-image";

describe("inspectImage", () => {
  it("accepts a JPEG with its dimensions and camera EXIF", async () => {
    const result = await inspectImage(await makeJpeg({ width: 2400, height: 1600 }));
    expect(result).toEqual({
      format: "jpeg",
      mimeType: "image/jpeg",
      width: 2400,
      height: 1600,
      exif: {
        camera: "Canon EOS R5",
        lens: "RF24-105mm F4 L IS USM",
        takenAt: "2024-05-01T10:20:30+08:00",
        iso: 400,
        exposureTime: 0.004,
        fNumber: 8,
        focalLength: 50,
      },
    });
  });

  it("joins make and model when the model does not repeat the make, and omits an unknown offset", async () => {
    const file = await makeJpeg({
      exif: { make: "FUJIFILM", model: "X-T5", dateTimeOriginal: "2023:12:31 23:59:58", fNumber: "56/10" },
    });
    const { exif } = await inspectImage(file);
    expect(exif).toEqual({
      camera: "FUJIFILM X-T5",
      lens: null,
      takenAt: "2023-12-31T23:59:58",
      iso: null,
      exposureTime: null,
      fNumber: 5.6,
      focalLength: null,
    });
  });

  it("reports dimensions as displayed when the EXIF orientation turns the picture", async () => {
    const result = await inspectImage(await makeJpeg({ width: 2400, height: 1600, orientation: 6 }));
    expect([result.width, result.height]).toEqual([1600, 2400]);
  });

  it("accepts a JPEG without EXIF, with exif null", async () => {
    const result = await inspectImage(await makeJpeg({ exif: false }));
    expect(result.exif).toBeNull();
  });

  it("accepts a PNG", async () => {
    expect(await inspectImage(await makePng({ width: 2000, height: 1800 }))).toEqual({
      format: "png",
      mimeType: "image/png",
      width: 2000,
      height: 1800,
      exif: null,
    });
  });

  it("refuses an HTML file named .jpg as UNSUPPORTED_MEDIA_TYPE", async () => {
    const file = await makeHtmlNamedJpg();
    expect(path.extname(file)).toBe(".jpg");
    await expect(inspectImage(file)).rejects.toMatchObject({ extensions: { code: "UNSUPPORTED_MEDIA_TYPE", detected: null } });
  });

  it("refuses HEIC with a message telling the venue to export JPEG", async () => {
    const error = await inspectImage(await makeHeicSignature()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ extensions: { code: "UNSUPPORTED_MEDIA_TYPE", detected: "image/heic" } });
    expect((error as Error).message).toMatch(/HEIC.*export.*JPEG/i);
  });

  it("refuses other real image formats (WebP) as UNSUPPORTED_MEDIA_TYPE", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "media-inspect-"));
    const file = path.join(dir, "photo.jpg");
    await sharp({ create: { width: 2000, height: 2000, channels: 3, background: "#369" } })
      .webp()
      .toFile(file);
    try {
      await expect(inspectImage(file)).rejects.toMatchObject({ extensions: { code: "UNSUPPORTED_MEDIA_TYPE", detected: "image/webp" } });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a truncated JPEG as BAD_USER_INPUT although its header is intact", async () => {
    const file = await makeTruncatedJpeg();
    expect((await sharp(file).metadata()).width).toBe(2000);
    await expect(inspectImage(file, { minLongSide: 100 })).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
  });

  it("refuses a pixel bomb from its header, fast and without decoding it", async () => {
    const file = await makePixelBombPng();
    expect((await fs.stat(file)).size).toBeLessThan(200_000);
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const error = await inspectImage(file).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ extensions: { code: "PAYLOAD_TOO_LARGE", width: 20000, height: 20000, maxPixels: 100_000_000 } });
    // Decoding 400 megapixels takes seconds and hundreds of MB; reading a header takes neither.
    expect(Date.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it("applies a smaller pixel budget when given one", async () => {
    await expect(inspectImage(await makeJpeg({ width: 2400, height: 1600 }), { maxPixels: 2_000_000 })).rejects.toMatchObject({
      extensions: { code: "PAYLOAD_TOO_LARGE", maxPixels: 2_000_000 },
    });
  });

  it("refuses a photo whose long side is under the minimum, naming the figures", async () => {
    await expect(inspectImage(await makeJpeg({ width: 1200, height: 800 }))).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", width: 1200, height: 800, minLongSide: 1600 },
    });
    await expect(inspectImage(await makeJpeg({ width: 2400, height: 1600 }), { minLongSide: 3000 })).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", minLongSide: 3000 },
    });
  });
});

describe("readPhotoExif", () => {
  it("returns null for unreadable EXIF instead of refusing the photo", () => {
    expect(readPhotoExif(Buffer.from("Exif\0\0garbage"))).toBeNull();
  });
});
