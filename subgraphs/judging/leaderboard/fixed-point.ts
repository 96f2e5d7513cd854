// Exact rounding for the ranking. Floating point makes a sum depend on the order of its terms, so two entries
// with identical scores could differ in the last digit by the order in which judges scored (issue #18). Every
// quantity the ranking orders by is therefore an integer count of fixed units, rounded exactly (half away
// from zero) from integer inputs with BigInt; floating point only seeds the integer square root.

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

/** ⌊√n⌋ for n ≥ 0: Newton's method from above, started at the float estimate so it takes a step or two. */
export function integerSqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError("integerSqrt: negative");
  if (n < 2n) return n;
  const estimate = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Start above the root: the estimate is within a relative 2⁻⁵⁰ of it.
  let x = estimate + (estimate >> 40n) + 2n;
  for (let y = (x + n / x) >> 1n; y < x; y = (x + n / x) >> 1n) x = y;
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/**
 * p × √d / r rounded to the nearest integer, halves away from zero (d ≥ 0, r > 0), exactly: with v = |p|·√d/r,
 * ⌊v + ½⌋ = ⌊(⌊2v⌋ + 1) / 2⌋ and ⌊2v⌋ = ⌊√⌊4p²d / r²⌋⌋.
 */
export function roundSqrtQuotient(p: bigint, d: bigint, r: bigint): bigint {
  if (d < 0n || r <= 0n) throw new RangeError("roundSqrtQuotient: needs d ≥ 0 and r > 0");
  if (p === 0n || d === 0n) return 0n;
  const twice = integerSqrt((4n * p * p * d) / (r * r));
  const q = (twice + 1n) / 2n;
  return p < 0n ? -q : q;
}

/** Compares the fractions a/b and c/d (b, d > 0): negative, 0 or positive. */
export function compareFractions(a: bigint, b: bigint, c: bigint, d: bigint): number {
  const left = a * d;
  const right = c * b;
  return left < right ? -1 : left > right ? 1 : 0;
}
