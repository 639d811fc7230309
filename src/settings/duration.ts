/** Nanoseconds per unit of a Go duration. */
const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const PART = /([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g;

/** The units a (valid) duration string uses, in order of appearance. */
export function durationUnits(text: string): string[] {
  return [...text.matchAll(PART)].map((m) => m[2] as string);
}

/** The length of a valid Go duration string in nanoseconds (a float; exact enough for range checks). */
export function durationNanos(text: string): number {
  let total = 0;
  for (const m of text.matchAll(PART)) total += Number(m[1]) * (UNIT_NS[m[2] as string] ?? 0);
  return total;
}
