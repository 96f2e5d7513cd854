// One contract, two drivers: the local disk and the S3 driver against a real S3-protocol server (s3rver) started here.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { S3Storage } from "../../subgraphs/entries/media/s3-storage";
import { LocalDiskStorage, MediaStorage, MultipartPart, newMediaKey } from "../../subgraphs/entries/media/storage";
import { startS3Server, TestS3Server } from "../kit/s3-server";

let s3: TestS3Server;
let work: string;

beforeAll(async () => {
  s3 = await startS3Server();
  work = await fs.mkdtemp(path.join(os.tmpdir(), "media-contract-"));
});
afterAll(async () => {
  await s3.stop();
  await fs.rm(work, { recursive: true, force: true });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stream that yields some bytes and then fails, as a dropped client connection does. */
function failingAfter(bytes: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(Buffer.alloc(bytes, 7));
      } else this.destroy(new Error("connection reset"));
    },
  });
}

const MIB = 1024 * 1024;
const drivers: [string, () => MediaStorage][] = [
  ["local disk", () => new LocalDiskStorage(path.join(work, "disk"))],
  ["S3 (s3rver)", () => new S3Storage({ ...s3.options, tempDir: path.join(work, "s3-temp") })],
];

describe.each(drivers)("MediaStorage contract: %s", (_name, makeStorage) => {
  let storage: MediaStorage;
  beforeAll(() => {
    storage = makeStorage();
  });

  it("stores a buffer, a stream and a file, and reads them back with their size", async () => {
    const a = newMediaKey("photos", "jpg");
    expect(await storage.put(a, Buffer.from("hello media"))).toMatchObject({ key: a, bytes: 11 });
    const b = newMediaKey("videos", "mp4");
    await storage.put(b, Readable.from([Buffer.from("part one, "), Buffer.from("part two")]));
    const source = path.join(work, `source-${Date.now()}`);
    await fs.writeFile(source, "from a file");
    const c = newMediaKey("photos", "png");
    await storage.moveFile(c, source);
    await expect(fs.access(source)).rejects.toThrow();

    expect((await readAll(await storage.createReadStream(a))).toString()).toBe("hello media");
    expect((await readAll(await storage.createReadStream(b))).toString()).toBe("part one, part two");
    expect((await readAll(await storage.createReadStream(c))).toString()).toBe("from a file");
    expect((await storage.stat(b))?.bytes).toBe(18);
    expect(await storage.exists(c)).toBe(true);
  });

  it("reads inclusive byte ranges", async () => {
    const key = newMediaKey("videos", "mp4");
    await storage.put(key, Buffer.from("0123456789"));
    expect((await readAll(await storage.createReadStream(key, { start: 2, end: 5 }))).toString()).toBe("2345");
    expect((await readAll(await storage.createReadStream(key, { start: 9, end: 9 }))).toString()).toBe("9");
  });

  it("answers NOT_FOUND, null and false for a missing key, and deletes it without error", async () => {
    const key = newMediaKey("photos", "jpg");
    await expect(storage.createReadStream(key)).rejects.toMatchObject({ extensions: { code: "NOT_FOUND" } });
    expect(await storage.stat(key)).toBeNull();
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.delete(key)).resolves.toBeUndefined();
    await expect(storage.openLocalCopy(key)).rejects.toMatchObject({ extensions: { code: "NOT_FOUND" } });
  });

  it("keeps the old object and stores nothing when a write fails in the middle", async () => {
    const key = newMediaKey("videos", "mp4");
    await storage.put(key, Buffer.from("old complete file"));
    // Large enough that the S3 driver is in a multipart upload when the stream fails.
    await expect(storage.put(key, failingAfter(9 * MIB))).rejects.toThrow();
    expect((await readAll(await storage.createReadStream(key))).toString()).toBe("old complete file");

    const fresh = newMediaKey("videos", "mp4");
    await expect(storage.put(fresh, failingAfter(1024))).rejects.toThrow();
    expect(await storage.exists(fresh)).toBe(false);
  });

  it("deletes objects and lists what is stored under a prefix", async () => {
    const prefix = `sweep${Date.now()}`;
    const keys = [newMediaKey(prefix, "jpg"), newMediaKey(prefix, "mp4"), newMediaKey(prefix, "jpg")];
    for (const key of keys) await storage.put(key, Buffer.from(key));
    await storage.delete(keys[1]);
    const listed: string[] = [];
    for await (const object of storage.list(`${prefix}/`)) listed.push(object.key);
    expect(listed.sort()).toEqual([keys[0], keys[2]].sort());
  });

  it("gives a local copy of an object for tools that need a file", async () => {
    const key = newMediaKey("videos", "mp4");
    await storage.put(key, Buffer.from("local please"));
    const copy = await storage.openLocalCopy(key);
    expect(await fs.readFile(copy.path, "utf8")).toBe("local please");
    await copy.release();
    expect(await storage.exists(key)).toBe(true);
  });

  it("joins multipart parts sent out of order and again after a cut, without listing parts", async () => {
    const partBytes = 5 * MIB;
    const whole = Buffer.alloc(2 * partBytes + 1234);
    for (let index = 0; index < whole.length; index += 4096) whole[index] = index % 251;
    const key = newMediaKey("videos", "mp4");
    const uploadId = await storage.createMultipartUpload(key);
    const placement = (partNumber: number) => {
      const offset = (partNumber - 1) * partBytes;
      return { partNumber, offset, bytes: Math.min(partBytes, whole.length - offset) };
    };
    const body = (partNumber: number) => {
      const { offset, bytes } = placement(partNumber);
      return Readable.from([whole.subarray(offset, offset + bytes)]);
    };
    const parts: MultipartPart[] = [];
    parts.push(await storage.uploadPart(key, uploadId, placement(3), body(3)));
    // Part 1 is cut in the middle: nothing is acknowledged, and it is sent again in full.
    await expect(storage.uploadPart(key, uploadId, placement(1), failingAfter(MIB))).rejects.toThrow();
    parts.push(await storage.uploadPart(key, uploadId, placement(1), body(1)));
    // A body longer than declared is refused.
    await expect(storage.uploadPart(key, uploadId, placement(2), Readable.from([Buffer.alloc(partBytes + 1)]))).rejects.toThrow();
    parts.push(await storage.uploadPart(key, uploadId, placement(2), body(2)));
    expect(await storage.exists(key)).toBe(false);

    const stat = await storage.completeMultipartUpload(key, uploadId, parts);
    expect(stat.bytes).toBe(whole.length);
    const stored = await readAll(await storage.createReadStream(key));
    expect(createHash("sha256").update(stored).digest("hex")).toBe(createHash("sha256").update(whole).digest("hex"));
  });

  it("aborts a multipart upload and leaves no object", async () => {
    const key = newMediaKey("videos", "mp4");
    const uploadId = await storage.createMultipartUpload(key);
    await storage.uploadPart(key, uploadId, { partNumber: 1, offset: 0, bytes: 10 }, Readable.from([Buffer.from("0123456789")]));
    await storage.abortMultipartUpload(key, uploadId);
    await storage.abortMultipartUpload(key, uploadId);
    expect(await storage.exists(key)).toBe(false);
  });
});
