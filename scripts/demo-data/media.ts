// Demo media: real generated photos (varied sizes and colours, with EXIF) and short videos with posters,
// stored in the media root like uploads, so every URL of the demo data works.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { MediaStatus, MicroVideo, Photo, VideoRendition } from "../../subgraphs/entries/entry/entry.entity";
import { deriveImageSizes } from "../../subgraphs/entries/media/derive-image";
import { makeJpeg, makeVideo } from "../../subgraphs/entries/media/fixtures";
import { inspectImage } from "../../subgraphs/entries/media/inspect-image";
import { makeVideoRenditions } from "../../subgraphs/entries/media/transcode-video";
import { mediaStorage } from "../../subgraphs/entries/media/media-store";

export type DemoPhoto = Pick<Photo, "width" | "height" | "contentType" | "byteSize" | "sha256" | "originalKey" | "displayKey" | "thumbnailKey" | "exif">;
export type DemoVideo = Pick<MicroVideo, "durationSeconds" | "width" | "height" | "contentType" | "byteSize" | "sha256" | "videoKey" | "posterKey" | "status">;
/** The streaming files of a demo video, made by the same code as the rendition job's. */
export interface DemoVideoRendition {
  rendition: VideoRendition;
  key: string;
  width: number;
  height: number;
  byteSize: number;
}

export interface DemoMedia {
  photo(index: number): DemoPhoto;
  video(index: number): DemoVideo;
  videoRenditions(index: number): DemoVideoRendition[];
}

const PHOTO_VARIANTS = 24;
const VIDEO_VARIANTS = 2;
const SIZES: [number, number][] = [
  [2400, 1600],
  [1600, 2400],
  [2000, 2000],
  [3000, 2000],
  [1800, 2400],
  [2560, 1440],
];
const CAMERAS: [string, string, string][] = [
  ["Canon", "Canon EOS R5", "RF24-105mm F4 L IS USM"],
  ["NIKON CORPORATION", "NIKON Z 8", "NIKKOR Z 24-120mm f/4 S"],
  ["SONY", "ILCE-7M4", "FE 70-200mm F2.8 GM OSS II"],
  ["FUJIFILM", "X-T5", "XF16-55mmF2.8 R LM WR"],
];

const sha256Of = async (path: string) =>
  createHash("sha256")
    .update(await fs.readFile(path))
    .digest("hex");

/** Generates and stores the demo files (a few seconds on first start) and returns rows that cycle through them. */
export async function generateDemoMedia(): Promise<DemoMedia> {
  const storage = mediaStorage();
  const photos: DemoPhoto[] = [];
  for (let variant = 0; variant < PHOTO_VARIANTS; variant++) {
    const [width, height] = SIZES[variant % SIZES.length];
    const [make, model, lensModel] = CAMERAS[variant % CAMERAS.length];
    const day = String(1 + (variant % 28)).padStart(2, "0");
    const file = await makeJpeg({
      width,
      height,
      hue: (variant * 47) % 360,
      exif: {
        make,
        model,
        lensModel,
        dateTimeOriginal: `2026:10:${day} 0${variant % 10}:15:00`,
        offsetTimeOriginal: "+08:00",
        iso: 100 * (1 + (variant % 8)),
        exposureTime: "1/250",
        fNumber: "8/1",
        focalLength: "50/1",
      },
    });
    const image = await inspectImage(file);
    const sizes = await deriveImageSizes(file);
    const keys = {
      originalKey: `demo/photo-${variant}.jpg`,
      displayKey: `demo/photo-${variant}-display.jpg`,
      thumbnailKey: `demo/photo-${variant}-thumbnail.jpg`,
    };
    await storage.putFile(keys.originalKey, file);
    await storage.put(keys.displayKey, sizes.DISPLAY.buffer);
    await storage.put(keys.thumbnailKey, sizes.THUMBNAIL.buffer);
    photos.push({
      width: image.width,
      height: image.height,
      contentType: image.mimeType,
      byteSize: (await fs.stat(file)).size,
      sha256: await sha256Of(file),
      exif: image.exif ? { ...image.exif } : null,
      ...keys,
    });
  }
  const videos: DemoVideo[] = [];
  const videoRenditions: DemoVideoRendition[][] = [];
  for (let variant = 0; variant < VIDEO_VARIANTS; variant++) {
    const durationSeconds = 4 + variant * 2;
    const file = await makeVideo({ seconds: durationSeconds, width: 640, height: 360 });
    const videoKey = `demo/video-${variant}.mp4`;
    await storage.putFile(videoKey, file);
    // Demo videos are READY from the start: their renditions are made here, as the background job would.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "image-china-demo-video-"));
    try {
      const made = await makeVideoRenditions(file, { width: 640, height: 360, durationSeconds }, dir, { timeoutMs: 120_000 });
      const posterKey = `demo/video-${variant}-poster.jpg`;
      await storage.putFile(posterKey, made.posterPath);
      const renditions: DemoVideoRendition[] = [];
      for (const output of made.renditions) {
        const key = `demo/video-${variant}-${output.rendition.toLowerCase()}.mp4`;
        const stat = await storage.putFile(key, output.path);
        renditions.push({ rendition: output.rendition as VideoRendition, key, width: output.width, height: output.height, byteSize: stat.bytes });
      }
      videoRenditions.push(renditions);
      videos.push({
        durationSeconds,
        width: 640,
        height: 360,
        contentType: "video/mp4",
        byteSize: (await fs.stat(file)).size,
        sha256: await sha256Of(file),
        videoKey,
        posterKey,
        status: MediaStatus.READY,
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  return {
    photo: (index) => photos[index % photos.length],
    video: (index) => videos[index % videos.length],
    videoRenditions: (index) => videoRenditions[index % videoRenditions.length],
  };
}
