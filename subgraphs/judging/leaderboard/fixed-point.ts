// Exact rounding for the ranking. Floating point makes a sum depend on the order of its terms, so two entries
// with identical scores could differ in the last digit by the order in which judges scored (issue #18). Every
// quantity the ranking orders by is therefore an integer count of fixed units, rounded exactly (half away
// from zero) from integer inputs with BigInt; floating point is used only for a first guess that is then
// checked exactly.

/** |x| for a bigint. */
const abs = (x: bigint) => (x < 0n ? -x : x);

/** num / den rounded to the nearest integer, halves away from zero (den ≠ 0). */
export function roundQuotient(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError("roundQuotient: division by zero");
  const negative = num < 0n !== den < 0n && num !== 0n;
  const a = abs(num);
  const b = abs(den);
  const rounded = (2n * a + b) / (2n * b);
  return negative ? -rounded : rounded;
}

/**
 * p × √d / r rounded to the nearest integer, halves away from zero (d ≥ 0, r > 0). Exact: the float estimate
 * is moved until (2q − 1)·r ≤ 2·|p|·√d < (2q + 1)·r, checked by squaring both sides in integers.
 */
export function roundSqrtQuotient(p: bigint, d: bigint, r: bigint): bigint {
  if (d < 0n || r <= 0n) throw new RangeError("roundSqrtQuotient: needs d ≥ 0 and r > 0");
  if (p === 0n || d === 0n) return 0n;
  const a = abs(p);
  const target = 4n * a * a * d; // (2·a·√d)²
  const r2 = r * r;
  const lowHolds = (q: bigint) => 2n * q - 1n <= 0n || (2n * q - 1n) * (2n * q - 1n) * r2 <= target;
  const highHolds = (q: bigint) => target < (2n * q + 1n) * (2n * q + 1n) * r2;
  let q = BigInt(Math.max(0, Math.round((Number(a) * Math.sqrt(Number(d))) / Number(r))));
  while (!lowHolds(q)) q -= 1n;
  while (!highHolds(q)) q += 1n;
  return p < 0n ? -q : q;
}

/** Compares the fractions a/b and c/d (b, d > 0): negative, 0 or positive. */
export function compareFractions(a: bigint, b: bigint, c: bigint, d: bigint): number {
  const left = a * d;
  const right = c * b;
  return left < right ? -1 : left > right ? 1 : 0;
}
