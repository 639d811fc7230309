import type { Formula } from '../model/formula.js';
import { MENTIONS_IP, MENTIONS_RISK, type Mentions } from './witness.js';

/** Formula depth walked by recursion; deeper levels are walked iteratively (`MentionsMemo.deep`). */
const RECURSION_LIMIT = 200;

/** What one atom mentions. */
const atomMentions = (f: Extract<Formula, { op: 'atom' }>): Mentions =>
  f.atom.sel === 'ip' ? MENTIONS_IP : f.atom.sel === 'user_risk_score' ? MENTIONS_RISK : 0;

/**
 * Which attributes every request has (a source IP, a user's risk level) a formula mentions, groups expanded: a
 * witness must then carry them, even where its path leaves them free. Recursive, every sub-formula's mask memoised
 * (the links of an app's union are shared by many questions, so the witness of its policy n does not walk the n
 * policies before it again); past `RECURSION_LIMIT` levels an iterative walk takes over.
 */
export class MentionsMemo {
  /** A `Map`: it lives as long as its engine (see `Encoder.formulas`). */
  private readonly memo = new Map<Formula, Mentions>();
  /** Groups met while being expanded (a cycle), so far: what was computed meanwhile is not memoised. */
  private cuts = 0;

  constructor(private readonly lookup: (name: string) => Formula | undefined) {}

  of(root: Formula): Mentions {
    const hit = this.memo.get(root);
    if (hit !== undefined) return hit;
    const mask = this.walk(root, 0, new Set());
    this.memo.set(root, mask);
    return mask;
  }

  /**
   * The mask of `f`, except for the groups in `expanding` (being expanded above it, so counted there). Memoised
   * only when no such group was met below it: then it is the mask of `f` alone.
   */
  private walk(f: Formula, depth: number, expanding: Set<string>): Mentions {
    // Leaves first: they are never memoised, so a lookup would only miss.
    if (f.op === 'atom') return atomMentions(f);
    if (f.op === 'const') return 0;
    const hit = this.memo.get(f);
    if (hit !== undefined) return hit;
    if (depth >= RECURSION_LIMIT) return this.deep(f);
    const cutsBefore = this.cuts;
    let mask = 0;
    if (f.op === 'group') {
      if (expanding.has(f.name)) {
        this.cuts++;
        return 0;
      }
      const body = this.lookup(f.name);
      if (!body) return 0;
      expanding.add(f.name);
      mask = this.walk(body, depth + 1, expanding);
      expanding.delete(f.name);
    } else if (f.op === 'not') mask = this.walk(f.arg, depth + 1, expanding);
    else for (const arg of f.args) mask |= this.walk(arg, depth + 1, expanding);
    if (this.cuts === cutsBefore) this.memo.set(f, mask);
    return mask;
  }

  /** The mask of `root` by an iterative walk, groups expanded once. */
  private deep(root: Formula): Mentions {
    const hit = this.memo.get(root);
    if (hit !== undefined) return hit;
    let mask = 0;
    const seen = new Set<Formula | string>();
    const stack: Formula[] = [root];
    for (let f = stack.pop(); f; f = stack.pop()) {
      const known = this.memo.get(f);
      if (known !== undefined) mask |= known;
      else if (seen.has(f)) continue;
      else if (f.op === 'atom') mask |= atomMentions(f);
      else if (f.op === 'not') stack.push(f.arg);
      else if (f.op === 'and' || f.op === 'or') for (const arg of f.args) stack.push(arg);
      else if (f.op === 'group' && !seen.has(f.name)) {
        seen.add(f.name);
        const body = this.lookup(f.name);
        if (body) stack.push(body);
      }
      seen.add(f);
    }
    this.memo.set(root, mask);
    return mask;
  }
}
