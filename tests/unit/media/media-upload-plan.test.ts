import { choosePartBytes, MAX_PARTS, missingParts, partCount, partPlacement } from "../../../subgraphs/entries/media-upload/media-upload.plan";

describe("resumable upload plan", () => {
  it("cuts a file into full parts and a shorter last part", () => {
    expect(partCount(25, 10)).toBe(3);
    expect(partPlacement(25, 10, 1)).toEqual({ partNumber: 1, offset: 0, bytes: 10 });
    expect(partPlacement(25, 10, 3)).toEqual({ partNumber: 3, offset: 20, bytes: 5 });
  });

  it("has no last part of zero bytes when the size is a multiple of the part size", () => {
    expect(partCount(20, 10)).toBe(2);
    expect(partPlacement(20, 10, 2)).toEqual({ partNumber: 2, offset: 10, bytes: 10 });
    expect(partPlacement(20, 10, 3)).toBeUndefined();
  });

  it("refuses part numbers outside the upload", () => {
    for (const number of [0, -1, 1.5, Number.NaN, 4]) expect(partPlacement(25, 10, number)).toBeUndefined();
  });

  it("grows the part size so a file never needs more than S3's 10,000 parts", () => {
    expect(choosePartBytes(100, 10)).toBe(10);
    const bytes = choosePartBytes(MAX_PARTS * 10 + 1, 10);
    expect(partCount(MAX_PARTS * 10 + 1, bytes)).toBeLessThanOrEqual(MAX_PARTS);
  });

  it("lists the parts still missing", () => {
    expect(missingParts(25, 10, [2])).toEqual([1, 3]);
    expect(missingParts(25, 10, [1, 2, 3])).toEqual([]);
  });
});
