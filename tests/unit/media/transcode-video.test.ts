// The renditions judges and the public receive: H.264/AAC, faststart, upright, at the planned sizes, and with no
// metadata at all, made from a video that carries an author, a place, a device, a creation time and chapters.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { makeVideo, makeVideoWithMetadata, SAMPLE_VIDEO_METADATA } from "../../../subgraphs/entries/media/fixtures";
import { makeVideoRenditions, TranscodeError, transcodeRenditions } from "../../../subgraphs/entries/media/transcode-video";
import { metadataItems, metadataProblems, probeVideo, sampleMetadataIn } from "../../kit/media-metadata";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "transcode-test-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("makeVideoRenditions", () => {
  it("the sample video carries the metadata the renditions must not (so the test below can fail)", async () => {
    const source = await makeVideoWithMetadata();
    const items = metadataItems(await probeVideo(source)).join("\n");
    for (const expected of ["title=", "artist=", "location", "creation_time=", "model=", "chapter 0", "chapter 1"]) expect(items).toContain(expected);
    expect(sampleMetadataIn(await fs.readFile(source))).toEqual(expect.arrayContaining([SAMPLE_VIDEO_METADATA.artist, SAMPLE_VIDEO_METADATA.location]));
  });

  it("makes an H.264/AAC MP4 with faststart and no metadata at all, and a poster without any", async () => {
    const source = await makeVideoWithMetadata();
    const made = await makeVideoRenditions(source, { width: 320, height: 240, durationSeconds: 2 }, dir, { timeoutMs: 120_000 });
    expect(made.renditions.map((rendition) => rendition.rendition)).toEqual(["STREAM"]);
    const stream = made.renditions[0].path;
    const probe = await probeVideo(stream);
    expect(probe.format.format_name).toContain("mp4");
    expect(probe.streams.map((item) => item.codec_name)).toEqual(["h264", "aac"]);
    expect(probe.streams[0]).toMatchObject({ width: 320, height: 240 });
    expect(await metadataProblems(stream, await fs.readFile(stream))).toEqual([]);

    const poster = await fs.readFile(made.posterPath);
    const info = await sharp(poster).metadata();
    expect(info).toMatchObject({ format: "jpeg", width: 320, height: 240 });
    expect([info.exif, info.xmp, info.iptc, info.comments]).toEqual([undefined, undefined, undefined, undefined]);
    expect(poster.includes(Buffer.from("Lavc"))).toBe(false);
    expect(sampleMetadataIn(poster)).toEqual([]);
  });

  it("makes a 1080p file besides the 720p one when the source has it", async () => {
    const source = await makeVideo({ seconds: 1, width: 1920, height: 1080 });
    const made = await makeVideoRenditions(source, { width: 1920, height: 1080, durationSeconds: 1 }, dir, { timeoutMs: 180_000 });
    const sizes = await Promise.all(made.renditions.map(async (rendition) => [rendition.rendition, (await probeVideo(rendition.path)).streams[0].height]));
    expect(sizes).toEqual([
      ["STREAM", 720],
      ["STREAM_1080P", 1080],
    ]);
  });

  it("turns a phone's rotation into upright pixels, leaving no rotation behind", async () => {
    const source = await makeVideo({ rotate: 90 });
    const made = await makeVideoRenditions(source, { width: 240, height: 320, durationSeconds: 3 }, dir, { timeoutMs: 120_000 });
    const probe = await probeVideo(made.renditions[0].path);
    expect(probe.streams[0]).toMatchObject({ width: 240, height: 320 });
    expect(metadataItems(probe)).toEqual([]);
  });

  it("reports a file ffmpeg cannot decode as a decode failure", async () => {
    const broken = path.join(dir, "broken.mp4");
    await fs.writeFile(broken, Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypmp42"), Buffer.alloc(4096, 7)]));
    await expect(
      transcodeRenditions(broken, [{ rendition: "STREAM", width: 320, height: 240, maxVideoKbps: 3000, path: path.join(dir, "out.mp4") }], {
        timeoutMs: 60_000,
      }),
    ).rejects.toMatchObject({
      failure: "decode",
    });
    expect(TranscodeError).toBeDefined();
  });
});
