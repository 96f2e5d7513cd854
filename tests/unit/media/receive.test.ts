import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { receiveUpload } from "../../../subgraphs/entries/media/receive";

let tempDir: string;

beforeEach(async () => {
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "media-receive-"));
});
afterEach(async () => {
  await fs.rm(tempDir, { recursive: true, force: true });
});

/** A stream of count chunks of size bytes, made one at a time as the consumer reads; counts what was produced. */
function chunkedStream(size: number, count: number) {
  const produced = { chunks: 0 };
  const stream = new Readable({
    read() {
      if (produced.chunks >= count) return this.push(null);
      produced.chunks += 1;
      this.push(Buffer.alloc(size, produced.chunks % 256));
    },
  });
  return { stream, produced };
}

describe("receiveUpload", () => {
  it("writes the stream to a temp file and reports its size and SHA-256", async () => {
    const content = Buffer.concat([Buffer.from("first chunk "), Buffer.alloc(100_000, 7), Buffer.from(" last")]);
    const received = await receiveUpload(Readable.from([content.subarray(0, 50_000), content.subarray(50_000)]), { maxBytes: 1_000_000, tempDir });
    expect(received.bytes).toBe(content.length);
    expect(received.sha256).toBe(createHash("sha256").update(content).digest("hex"));
    expect(path.dirname(received.path)).toBe(tempDir);
    expect(await fs.readFile(received.path)).toEqual(content);
    await received.cleanup();
    await received.cleanup();
    expect(await fs.readdir(tempDir)).toEqual([]);
  });

  it("accepts a file of exactly maxBytes", async () => {
    const { stream } = chunkedStream(1000, 5);
    const received = await receiveUpload(stream, { maxBytes: 5000, tempDir });
    expect(received.bytes).toBe(5000);
    await received.cleanup();
  });

  it("refuses one byte more than maxBytes with PAYLOAD_TOO_LARGE and removes the temp file", async () => {
    const stream = Readable.from([Buffer.alloc(5000), Buffer.alloc(1)]);
    await expect(receiveUpload(stream, { maxBytes: 5000, tempDir })).rejects.toMatchObject({
      extensions: { code: "PAYLOAD_TOO_LARGE", maxBytes: 5000 },
    });
    expect(await fs.readdir(tempDir)).toEqual([]);
  });

  it("stops reading an endless stream soon after the limit and destroys it", async () => {
    const { stream, produced } = chunkedStream(64 * 1024, Number.POSITIVE_INFINITY);
    await expect(receiveUpload(stream, { maxBytes: 1024 * 1024, tempDir })).rejects.toMatchObject({ extensions: { code: "PAYLOAD_TOO_LARGE" } });
    // 1 MiB is 16 chunks; a little read-ahead is fine, reading on is not.
    expect(produced.chunks).toBeLessThan(40);
    expect(stream.destroyed).toBe(true);
    expect(await fs.readdir(tempDir)).toEqual([]);
  });

  it("turns a stream error into BAD_USER_INPUT and removes the temp file", async () => {
    const stream = Readable.from(
      (async function* () {
        yield Buffer.alloc(10_000, 1);
        throw new Error("Request disconnected during file upload stream parsing.");
      })(),
    );
    await expect(receiveUpload(stream, { maxBytes: 1_000_000, tempDir })).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(await fs.readdir(tempDir)).toEqual([]);
  });

  it("reports graphql-upload's own size limit (an HTTP 413 stream error) as PAYLOAD_TOO_LARGE", async () => {
    const stream = Readable.from(
      (async function* () {
        yield Buffer.alloc(1000);
        throw Object.assign(new Error("File truncated as it exceeds the 1000 byte size limit."), { status: 413 });
      })(),
    );
    await expect(receiveUpload(stream, { maxBytes: 1_000_000, tempDir })).rejects.toMatchObject({ extensions: { code: "PAYLOAD_TOO_LARGE" } });
    expect(await fs.readdir(tempDir)).toEqual([]);
  });

  it("refuses an empty file", async () => {
    await expect(receiveUpload(Readable.from([]), { maxBytes: 1000, tempDir })).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(await fs.readdir(tempDir)).toEqual([]);
  });

  it("creates the temp folder if it does not exist", async () => {
    const nested = path.join(tempDir, "a", "b");
    const received = await receiveUpload(Readable.from([Buffer.from("x")]), { maxBytes: 10, tempDir: nested });
    expect(path.dirname(received.path)).toBe(nested);
    await received.cleanup();
  });
});
