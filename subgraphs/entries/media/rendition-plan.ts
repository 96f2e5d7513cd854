// Which streaming renditions to make of a video, and at what size: a 720p file always (smaller sources keep their
// size, nothing is enlarged) and a 1080p file only when the source has 1080 lines on its short side.
export type StreamRendition = "STREAM" | "STREAM_1080P";

export interface RenditionTarget {
  rendition: StreamRendition;
  /** Upright frame size, both even (4:2:0 H.264 needs even dimensions). */
  width: number;
  height: number;
  /** Peak video bitrate for players on slow links (libx264 -maxrate; the buffer is twice this). */
  maxVideoKbps: number;
}

const LADDER: { rendition: StreamRendition; shortSide: number; maxVideoKbps: number; onlyWhenSourceHasIt: boolean }[] = [
  { rendition: "STREAM", shortSide: 720, maxVideoKbps: 3000, onlyWhenSourceHasIt: false },
  { rendition: "STREAM_1080P", shortSide: 1080, maxVideoKbps: 6000, onlyWhenSourceHasIt: true },
];

/** width and height are the upright (display) size of the source, as inspectVideo reports it. */
export function planRenditions(source: { width: number; height: number }): RenditionTarget[] {
  const { width, height } = source;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) throw new Error(`planRenditions: bad source size ${width}x${height}`);
  const sourceShort = Math.min(width, height);
  const landscape = width >= height;
  return LADDER.filter((step) => !step.onlyWhenSourceHasIt || sourceShort >= step.shortSide).map((step) => {
    const short = even(Math.min(step.shortSide, sourceShort));
    const sourceLong = Math.max(width, height);
    // The nearest even width keeps the aspect ratio best; it may not pass the source's own (even) size.
    const long = Math.min(even(sourceLong), Math.max(2, Math.round((sourceLong * short) / sourceShort / 2) * 2));
    return { rendition: step.rendition, width: landscape ? long : short, height: landscape ? short : long, maxVideoKbps: step.maxVideoKbps };
  });
}

/** The even number at or just below value (so nothing is enlarged), never below 2. */
function even(value: number): number {
  return Math.max(2, Math.floor(value / 2) * 2);
}
