import { blankMoovMetadata } from "../../../subgraphs/entries/media/mp4-metadata";
import { mp4Boxes } from "../../kit/media-metadata";

function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, body]);
}

/** A version-0 header box whose creation and modification times are set. */
function timedHeader(type: string): Buffer {
  const body = Buffer.alloc(20);
  body.writeUInt32BE(3_800_000_000, 4);
  body.writeUInt32BE(3_800_000_001, 8);
  return box(type, body);
}

const text = (value: string) => Buffer.from(value, "utf8");

function sampleMoov(): Buffer {
  return box(
    "moov",
    timedHeader("mvhd"),
    box("trak", timedHeader("tkhd"), box("mdia", timedHeader("mdhd"), box("hdlr", text("vide VideoHandler"))), box("udta", box("©nam", text("Stream title")))),
    box("udta", box("meta", Buffer.alloc(4), box("ilst", box("©ART", text("Zhang Wei")))), box("©xyz", text("+39.9042+116.4074/"))),
    box("uuid", text("XMP author=Zhang Wei")),
  );
}

describe("blankMoovMetadata", () => {
  it("turns udta, meta and uuid boxes into free space of the same size, with no content left", () => {
    const moov = sampleMoov();
    const size = moov.length;
    const report = blankMoovMetadata(moov);
    expect(moov.length).toBe(size);
    expect(report.blanked.sort()).toEqual(["udta", "udta", "uuid"]);
    expect(mp4Boxes(moov).filter((path) => /udta|meta|uuid|©/.test(path))).toEqual([]);
    for (const secret of ["Zhang Wei", "+39.9042", "Stream title", "XMP"]) expect(moov.includes(text(secret))).toBe(false);
  });

  it("zeroes the creation and modification times of the movie, track and media headers", () => {
    const moov = sampleMoov();
    expect(blankMoovMetadata(moov).zeroedTimes.sort()).toEqual(["mdhd", "mvhd", "tkhd"]);
    for (const type of ["mvhd", "tkhd", "mdhd"]) {
      const at = moov.indexOf(Buffer.from(type, "latin1"));
      expect([moov.readUInt32BE(at + 8), moov.readUInt32BE(at + 12)]).toEqual([0, 0]);
    }
  });

  it("leaves the boxes a player needs as they were", () => {
    const moov = sampleMoov();
    blankMoovMetadata(moov);
    expect(moov.includes(text("vide VideoHandler"))).toBe(true);
    expect(mp4Boxes(moov)).toEqual(expect.arrayContaining(["moov", "moov/mvhd", "moov/trak/tkhd", "moov/trak/mdia/hdlr"]));
  });

  it("refuses a buffer that is not a moov box, and a box that overruns its parent", () => {
    expect(() => blankMoovMetadata(box("mdat", Buffer.alloc(8)))).toThrow(/not a moov/);
    const broken = sampleMoov();
    broken.writeUInt32BE(0x7fffffff, 8);
    expect(() => blankMoovMetadata(broken)).toThrow(/malformed/);
  });
});
