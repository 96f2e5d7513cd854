import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { deriveImageSizes } from "../../../subgraphs/entries/media/derive-image";
import { makeJpeg, makePng } from "../../../subgraphs/entries/media/fixtures";

async function describeJpeg(buffer: Buffer) {
  const metadata = await sharp(buffer).metadata();
  return {
    format: metadata.format,
    width: metadata.width,
    height: metadata.height,
    channels: metadata.channels,
    exif: metadata.exif,
    orientation: metadata.orientation,
    icc: metadata.icc,
  };
}

describe("deriveImageSizes", () => {
  it("makes a 1920 display and a 400 thumbnail JPEG, without EXIF, tagged sRGB", async () => {
    const sizes = await deriveImageSizes(await makeJpeg({ width: 2400, height: 1600 }));
    expect(sizes.DISPLAY).toMatchObject({ mimeType: "image/jpeg", width: 1920, height: 1280 });
    expect(sizes.THUMBNAIL).toMatchObject({ mimeType: "image/jpeg", width: 400, height: 267 });
    for (const derived of [sizes.DISPLAY, sizes.THUMBNAIL]) {
      const actual = await describeJpeg(derived.buffer);
      expect(actual).toMatchObject({ format: "jpeg", width: derived.width, height: derived.height, channels: 3 });
      expect(derived.bytes).toBe(derived.buffer.length);
      // Derived sizes are public: camera data (and any GPS) must not travel with them.
      expect(actual.exif).toBeUndefined();
      // The profile's description is UTF-16 ("s\0R\0G\0B").
      expect(actual.icc?.toString("latin1").replace(/\0/g, "")).toMatch(/sRGB/);
    }
  });

  it("turns the picture upright by its EXIF orientation", async () => {
    const sizes = await deriveImageSizes(await makeJpeg({ width: 2400, height: 1600, orientation: 6 }));
    expect([sizes.DISPLAY.width, sizes.DISPLAY.height]).toEqual([1280, 1920]);
    expect([sizes.THUMBNAIL.width, sizes.THUMBNAIL.height]).toEqual([267, 400]);
    expect((await describeJpeg(sizes.DISPLAY.buffer)).orientation).toBeUndefined();
  });

  it("never enlarges a small picture", async () => {
    const sizes = await deriveImageSizes(await makeJpeg({ width: 1000, height: 800, exif: false }));
    expect([sizes.DISPLAY.width, sizes.DISPLAY.height]).toEqual([1000, 800]);
    expect([sizes.THUMBNAIL.width, sizes.THUMBNAIL.height]).toEqual([400, 320]);
  });

  it("converts a PNG with transparency to an opaque JPEG", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "media-derive-"));
    const file = path.join(dir, "alpha.png");
    await sharp({ create: { width: 2000, height: 1000, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toFile(file);
    try {
      const sizes = await deriveImageSizes(file);
      const { channels } = await describeJpeg(sizes.DISPLAY.buffer);
      expect(channels).toBe(3);
      const { dominant } = await sharp(sizes.DISPLAY.buffer).stats();
      // Transparent areas become white, not the black their RGB values hold.
      expect(dominant.r).toBeGreaterThan(240);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    expect((await deriveImageSizes(await makePng())).DISPLAY.mimeType).toBe("image/jpeg");
  });

  it("leaves the original byte for byte, EXIF included", async () => {
    const file = await makeJpeg({ width: 2400, height: 1600, orientation: 6 });
    const before = createHash("sha256")
      .update(await fs.readFile(file))
      .digest("hex");
    await deriveImageSizes(file);
    expect(
      createHash("sha256")
        .update(await fs.readFile(file))
        .digest("hex"),
    ).toBe(before);
    const metadata = await sharp(file).metadata();
    expect(metadata.orientation).toBe(6);
    expect(metadata.exif).toBeDefined();
  });
});
