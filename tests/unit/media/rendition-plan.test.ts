import { planRenditions } from "../../../subgraphs/entries/media/rendition-plan";

describe("planRenditions", () => {
  it("makes a 720p STREAM file of a 1080p landscape source, and a 1080p one", () => {
    expect(planRenditions({ width: 1920, height: 1080 }).map(({ rendition, width, height }) => [rendition, width, height])).toEqual([
      ["STREAM", 1280, 720],
      ["STREAM_1080P", 1920, 1080],
    ]);
  });

  it("scales a portrait (phone held upright) source by its short side", () => {
    expect(planRenditions({ width: 1080, height: 1920 }).map(({ width, height }) => [width, height])).toEqual([
      [720, 1280],
      [1080, 1920],
    ]);
  });

  it("makes no 1080p file when the source has fewer than 1080 lines", () => {
    expect(planRenditions({ width: 1280, height: 720 }).map((target) => target.rendition)).toEqual(["STREAM"]);
  });

  it("never enlarges a small source", () => {
    expect(planRenditions({ width: 320, height: 240 })).toMatchObject([{ rendition: "STREAM", width: 320, height: 240 }]);
  });

  it("keeps both sides even, as 4:2:0 H.264 needs", () => {
    const [target] = planRenditions({ width: 321, height: 241 });
    expect([target.width % 2, target.height % 2]).toEqual([0, 0]);
    expect(target).toMatchObject({ width: 320, height: 240 });
  });

  it("scales a 4K source down to 720 and 1080 lines, keeping the aspect ratio", () => {
    expect(planRenditions({ width: 3840, height: 2160 }).map(({ width, height }) => [width, height])).toEqual([
      [1280, 720],
      [1920, 1080],
    ]);
  });

  it("refuses a size that is not a picture", () => {
    expect(() => planRenditions({ width: 0, height: 240 })).toThrow(/bad source size/);
  });
});
