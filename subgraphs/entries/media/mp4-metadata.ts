// Removes what ffmpeg leaves of metadata in an MP4 it wrote with -map_metadata -1: the (empty) udta/meta boxes and
// the creation and modification times of the movie, tracks and media. Done in place without moving a byte: a box
// is turned into a `free` box of the same size with zeroed content, and times are zeroed, so the chunk offsets
// (stco/co64) that point into mdat stay valid.
import fs from "node:fs/promises";

/** Boxes whose children are boxes, on the way to udta/meta and the header boxes. */
const CONTAINERS = new Set(["moov", "trak", "mdia", "minf", "stbl", "edts", "dinf"]);
/** User data, iTunes/QuickTime metadata, vendor-specific (XMP) boxes: all of them carry metadata and nothing a player needs. */
const METADATA_BOXES = new Set(["udta", "meta", "uuid"]);
/** Header boxes with creation and modification times right after version and flags. */
const TIMED_HEADERS = new Set(["mvhd", "tkhd", "mdhd"]);

/** A moov larger than this is not what ffmpeg writes for a video of minutes; refuse rather than read it into memory. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

export interface BlankingReport {
  /** Types of the boxes turned into free space, e.g. ["udta"]. */
  blanked: string[];
  /** Header boxes whose times were zeroed. */
  zeroedTimes: string[];
}

/** Blanks metadata inside one moov box (its bytes, header included), in place. */
export function blankMoovMetadata(moov: Buffer): BlankingReport {
  const report: BlankingReport = { blanked: [], zeroedTimes: [] };
  if (moov.length < 8 || moov.toString("latin1", 4, 8) !== "moov") throw new Error("blankMoovMetadata: not a moov box");
  walk(moov, headerSize(moov, 0), moov.length, report);
  return report;
}

function walk(buffer: Buffer, start: number, end: number, report: BlankingReport): void {
  let offset = start;
  while (offset + 8 <= end) {
    const size = boxSize(buffer, offset, end);
    const type = buffer.toString("latin1", offset + 4, offset + 8);
    const header = headerSize(buffer, offset);
    if (METADATA_BOXES.has(type)) {
      buffer.write("free", offset + 4, "latin1");
      buffer.fill(0, offset + header, offset + size);
      report.blanked.push(type);
    } else if (TIMED_HEADERS.has(type)) {
      const version = buffer[offset + header];
      const timesLength = version === 1 ? 16 : 8;
      if (offset + header + 4 + timesLength <= offset + size) buffer.fill(0, offset + header + 4, offset + header + 4 + timesLength);
      report.zeroedTimes.push(type);
    } else if (CONTAINERS.has(type)) {
      walk(buffer, offset + header, offset + size, report);
    }
    offset += size;
  }
}

function headerSize(buffer: Buffer, offset: number): number {
  return buffer.readUInt32BE(offset) === 1 ? 16 : 8;
}

function boxSize(buffer: Buffer, offset: number, end: number): number {
  const small = buffer.readUInt32BE(offset);
  const size = small === 0 ? end - offset : small === 1 ? Number(buffer.readBigUInt64BE(offset + 8)) : small;
  if (size < 8 || offset + size > end) throw new Error(`malformed MP4 box at ${offset}`);
  return size;
}

/** Finds the top-level moov of an MP4 file and blanks its metadata in place. */
export async function blankMp4MetadataInFile(filePath: string): Promise<BlankingReport> {
  const handle = await fs.open(filePath, "r+");
  try {
    const { size: fileSize } = await handle.stat();
    const header = Buffer.alloc(16);
    let offset = 0;
    while (offset + 8 <= fileSize) {
      await handle.read(header, 0, 16, offset);
      const small = header.readUInt32BE(0);
      const size = small === 0 ? fileSize - offset : small === 1 ? Number(header.readBigUInt64BE(8)) : small;
      if (size < 8 || offset + size > fileSize) throw new Error(`malformed MP4 box at ${offset}`);
      if (header.toString("latin1", 4, 8) === "moov") {
        if (size > MAX_MOOV_BYTES) throw new Error(`MP4 moov box of ${size} bytes is too large`);
        const moov = Buffer.alloc(size);
        await handle.read(moov, 0, size, offset);
        const report = blankMoovMetadata(moov);
        await handle.write(moov, 0, size, offset);
        await handle.sync();
        return report;
      }
      offset += size;
    }
    throw new Error("MP4 file has no moov box");
  } finally {
    await handle.close();
  }
}
