// How a resumable upload of byteSize bytes is cut into parts, and what is still missing (pure functions).
import type { PartPlacement } from "../media/storage";

/** S3's limit on the number of parts of one multipart upload. */
export const MAX_PARTS = 10_000;

export function partCount(byteSize: number, partBytes: number): number {
  return Math.max(1, Math.ceil(byteSize / partBytes));
}

/** Where part partNumber (1-based) sits in the file; undefined for a number outside the upload. */
export function partPlacement(byteSize: number, partBytes: number, partNumber: number): PartPlacement | undefined {
  if (!Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > partCount(byteSize, partBytes)) return undefined;
  const offset = (partNumber - 1) * partBytes;
  return { partNumber, offset, bytes: Math.min(partBytes, byteSize - offset) };
}

/** The part size for a file: the configured one, grown when the file would need more than MAX_PARTS parts. */
export function choosePartBytes(byteSize: number, configuredPartBytes: number): number {
  return Math.max(configuredPartBytes, Math.ceil(byteSize / MAX_PARTS));
}

/** Part numbers not yet received, in order. */
export function missingParts(byteSize: number, partBytes: number, received: Iterable<number>): number[] {
  const have = new Set(received);
  const missing: number[] = [];
  for (let number = 1; number <= partCount(byteSize, partBytes); number++) if (!have.has(number)) missing.push(number);
  return missing;
}
