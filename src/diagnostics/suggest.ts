import { distance } from 'fastest-levenshtein';

/** The closest candidate to `name` within a small edit distance, phrased as a hint, or `fallback`. */
export function didYouMean(name: string, candidates: Iterable<string>, fallback: string): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best !== undefined && bestDistance <= limit ? `did you mean \`${best}\`? ${fallback}` : fallback;
}
