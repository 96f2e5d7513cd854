import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { LocalDiskStorage, assertValidMediaKey, newMediaKey } from "../../../subgraphs/entries/media/storage";

let root: string;
let storage: LocalDiskStorage;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "media-storage-"));
  storage = new LocalDiskStorage(path.join(root, "media"));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function tempFilesLeft(): Promise<string[]> {
  return fs.readdir(path.join(root, "media", ".tmp")).catch(() => []);
}

describe("LocalDiskStorage", () => {
  it("stores a buffer under a key and reads it back", async () => {
    const key = newMediaKey("photos", "jpg");
    const stat = await storage.put(key, Buffer.from("hello media"));
    expect(stat).toMatchObject({ key, bytes: 11 });
    expect(await storage.exists(key)).toBe(true);
    expect((await storage.stat(key))?.bytes).toBe(11);
    expect((await readAll(await storage.createReadStream(key))).toString()).toBe("hello media");
    expect(await fs.readFile(path.join(root, "media", key), "utf8")).toBe("hello media");
    expect(await tempFilesLeft()).toEqual([]);
  });

  it("stores a stream and a local file", async () => {
    await storage.put("videos/aa/a.mp4", Readable.from([Buffer.from("part one, "), Buffer.from("part two")]));
    expect((await readAll(await storage.createReadStream("videos/aa/a.mp4"))).toString()).toBe("part one, part two");

    const source = path.join(root, "upload.part");
    await fs.writeFile(source, "from a file");
    await storage.putFile("photos/bb/b.jpg", source);
    expect((await readAll(await storage.createReadStream("photos/bb/b.jpg"))).toString()).toBe("from a file");
    // The source is copied, not moved: the caller owns its cleanup.
    expect(await fs.readFile(source, "utf8")).toBe("from a file");
  });

  it("reads an inclusive byte range", async () => {
    await storage.put("videos/cc/c.mp4", Buffer.from("0123456789"));
    expect((await readAll(await storage.createReadStream("videos/cc/c.mp4", { start: 2, end: 5 }))).toString()).toBe("2345");
  });

  it("leaves neither a half file nor a temp file when a write fails midway, and keeps the old object", async () => {
    const key = "photos/dd/d.jpg";
    await storage.put(key, Buffer.from("old complete file"));
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 1));
        this.destroy(new Error("connection reset"));
      },
    });
    await expect(storage.put(key, failing)).rejects.toThrow("connection reset");
    expect((await readAll(await storage.createReadStream(key))).toString()).toBe("old complete file");
    await expect(
      storage.put(
        "photos/dd/new.jpg",
        Readable.from(
          (async function* () {
            yield Buffer.from("half");
            throw new Error("crash");
          })(),
        ),
      ),
    ).rejects.toThrow("crash");
    expect(await storage.exists("photos/dd/new.jpg")).toBe(false);
    expect(await tempFilesLeft()).toEqual([]);
  });

  it("answers NOT_FOUND, null and false for a missing key, and deletes idempotently", async () => {
    await expect(storage.createReadStream("photos/ee/missing.jpg")).rejects.toMatchObject({ extensions: { code: "NOT_FOUND" } });
    expect(await storage.stat("photos/ee/missing.jpg")).toBeNull();
    expect(await storage.exists("photos/ee/missing.jpg")).toBe(false);
    await storage.put("photos/ee/e.jpg", Buffer.from("x"));
    await storage.delete("photos/ee/e.jpg");
    await storage.delete("photos/ee/e.jpg");
    expect(await storage.exists("photos/ee/e.jpg")).toBe(false);
  });

  it.each([
    ["parent traversal", "../outside.txt"],
    ["traversal inside a key", "photos/../../outside.txt"],
    ["absolute path", "/etc/passwd"],
    ["NUL byte", "photos/aa/x.jpg\0.png"],
    ["backslash traversal", "photos\\..\\..\\outside.txt"],
    ["empty key", ""],
    ["empty segment", "photos//x.jpg"],
    ["dot segment (temp folder)", ".tmp/x.part"],
    ["trailing slash", "photos/"],
  ])("refuses a key with %s before touching the disk", async (_name, key) => {
    expect(() => assertValidMediaKey(key)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }));
    await expect(storage.put(key, Buffer.from("x"))).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    await expect(storage.createReadStream(key)).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    await expect(storage.delete(key)).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    await expect(fs.access(path.join(root, "outside.txt"))).rejects.toThrow();
  });

  it("generates keys that are valid, unique and sharded by the id's first characters", () => {
    const key = newMediaKey("photos", "jpg");
    expect(key).toMatch(/^photos\/([0-9a-f]{2})\/\1[0-9a-f]{6}-[0-9a-f-]{27}\.jpg$/);
    expect(newMediaKey("photos", "jpg")).not.toBe(key);
    expect(() => newMediaKey("photos", "../jpg")).toThrow();
  });
});
