import type { Analyzer, AnalyzerBudget, IncompleteReason } from '../analysis/engine.js';
import { describeWho } from '../lint/phrase.js';
import type { CompiledProject } from '../model/compiled.js';
import type { Atom, Formula } from '../model/formula.js';
import { atomMatches, selectorByName } from '../selectors/table.js';
import { type NameOf, namedIdentity, phraseLiterals } from './phrase.js';
import { type Side, sides } from './sides.js';
import {
  ACCESS_LEVELS,
  type Access,
  type AccessDiff,
  type AppDiff,
  type ChangeKind,
  type Literal,
  type RegionChange,
  type Term,
} from './types.js';

export interface AccessDiffInput {
  before: CompiledProject;
  after: CompiledProject;
  /** How the two sides are called in output (default `before` / `after`). */
  labels?: { before: string; after: string };
  /** Display names of the account objects rules refer to (default: the key itself). */
  names?: NameOf;
  budget?: AnalyzerBudget;
  /** Most terms per region (default 4); the rest of a region is summed up as "others". */
  maxTerms?: number;
}

/** An answer the engine could not give. */
class Undecided extends Error {
  constructor(readonly reason: IncompleteReason | 'witness-mismatch') {
    super(reason);
  }
}

const kindOf = (from: Access, to: Access): ChangeKind =>
  from === 'denied' ? 'gain' : to === 'denied' ? 'loss' : 'move';

/** Order of the changes of an app: gains, then losses, then moves. */
const KIND_ORDER: Record<ChangeKind, number> = { gain: 0, loss: 1, move: 2 };

/**
 * The access diff of two configurations (pure): for every app whose outcome can change, the exact regions of
 * requests whose access changes, under Access's order of execution (Bypass and Service Auth first, then Allow and
 * Block, by precedence; the first match decides, no match denies). Each region is described by a few terms — the
 * selectors that set it apart, found as prime implicants of the region around a witness — and every term carries a
 * witness that both evaluators decide as claimed. Apps written alike on both sides are not analysed; apps whose
 * every level is proved equivalent are `same`; a question past the engine's budget makes the app `undecided`.
 */
export function accessDiff(input: AccessDiffInput): AccessDiff {
  const { before, after, analyzer } = sides(input.before, input.after, input.budget);
  const names: NameOf = input.names ?? (() => undefined);
  const maxTerms = input.maxTerms ?? 4;
  const appNames = [...new Set([...input.before.apps, ...input.after.apps].map((a) => a.name))];
  const summary = {
    apps: appNames.length,
    identical: 0,
    analysed: 0,
    gains: 0,
    losses: 0,
    moves: 0,
    undecided: 0,
  };
  const apps: AppDiff[] = [];
  const leaves = new Leaves();
  for (const name of appNames) {
    const b = before.app(name);
    const a = after.app(name);
    if (b && a && before.appKey(name) === after.appKey(name)) {
      summary.identical++;
      continue;
    }
    summary.analysed++;
    const result = diffApp(name, before, after, analyzer, names, maxTerms, leaves);
    if (result.status === 'undecided') summary.undecided++;
    for (const c of result.changes)
      if (result.status === 'changed' || result.status === 'added') {
        if (c.kind === 'gain') summary.gains++;
        else if (c.kind === 'loss') summary.losses++;
        else summary.moves++;
      }
    apps.push(result);
  }
  return {
    before: input.labels?.before ?? 'before',
    after: input.labels?.after ?? 'after',
    apps,
    summary,
  };
}

function diffApp(
  name: string,
  before: Side,
  after: Side,
  analyzer: Analyzer,
  names: NameOf,
  maxTerms: number,
  leaves: Leaves,
): AppDiff {
  const b = before.app(name);
  const a = after.app(name);
  if (!a) return { app: name, status: 'removed', changes: [] };
  try {
    const from = before.levels(b);
    const to = after.levels(a);
    if (b) {
      let same = true;
      for (const level of ACCESS_LEVELS) {
        const r = analyzer.equivalent(from[level], to[level]);
        if (r.result === 'incomplete') throw new Undecided(r.reason);
        if (!r.result) same = false;
      }
      if (same) return { app: name, status: 'same', changes: [] };
    }
    const atoms = new Map<string, Atom>();
    before.atoms(b, atoms);
    after.atoms(a, atoms);
    const describe = new Describer(analyzer, [...atoms.values()], names, leaves);
    const changes: RegionChange[] = [];
    for (const f of ACCESS_LEVELS)
      for (const t of ACCESS_LEVELS) {
        if (f === t) continue;
        const region: Formula = { op: 'and', args: [from[f], to[t]] };
        const sat = analyzer.satisfiable(region);
        if (sat.result === 'incomplete') throw new Undecided(sat.reason);
        if (!sat.result) continue;
        const { terms, complete } = describe.region(region, maxTerms);
        for (const term of terms)
          if (before.decide(name, term.witness) !== f || after.decide(name, term.witness) !== t)
            throw new Undecided('witness-mismatch');
        changes.push({ kind: kindOf(f, t), from: f, to: t, terms, complete });
      }
    changes.sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind]);
    return { app: name, status: b ? 'changed' : 'added', changes };
  } catch (e) {
    if (e instanceof Undecided) return { app: name, status: 'undecided', changes: [], reason: e.reason };
    throw e;
  }
}

/**
 * The formulas of one-atom literals, shared by every app of a diff. The encoder keeps the BDD of every formula but a
 * bare atom, which it encodes again each time it meets it, and the atom of a list with its members costs as much as
 * its members: a term is tried many times, in app after app, so a list of thousands cost thousands of steps per try.
 * A one-atom literal is asked as an `or` of that atom, one object per atom (the same BDD, kept).
 */
class Leaves {
  private readonly positive = new Map<Atom, Formula>();
  private readonly negative = new Map<Atom, Formula>();

  get(atom: Atom, positive: boolean): Formula {
    let f = this.positive.get(atom);
    if (!f) {
      f = { op: 'or', args: [{ op: 'atom', atom }] };
      this.positive.set(atom, f);
    }
    if (positive) return f;
    let n = this.negative.get(atom);
    if (!n) {
      n = { op: 'not', arg: f };
      this.negative.set(atom, n);
    }
    return n;
  }
}

/** A literal while a term is built: atoms by index in the app's atom list. */
interface Draft {
  atoms: number[];
  positive: boolean;
}

/** Atoms that read the same attribute the same way (one selector, the same arguments but the last). */
function family(atom: Atom): string {
  const spec = selectorByName(atom.sel);
  const last = spec?.params[spec.params.length - 1]?.field;
  const head = Object.keys(atom.args)
    .filter((k) => k !== last)
    .sort()
    .map((k) => JSON.stringify(atom.args[k]));
  return `${atom.sel}(${head.join(',')})`;
}

/**
 * Describes a region as a few terms. A term starts as the witness's full valuation of the app's atoms (which
 * implies the region: the region is a function of those atoms) and drops every literal the region does not need,
 * negative ones first, so what remains is a prime implicant: the few selectors that set the region apart. Then each
 * positive literal takes in the other values of its selector the region admits as well (`from KP or IR`). The next
 * term is sought in what the earlier ones leave out.
 */
class Describer {
  private readonly formulas = new Map<string, Formula>();
  private readonly families: string[];

  constructor(
    private readonly analyzer: Analyzer,
    private readonly atoms: Atom[],
    private readonly names: NameOf,
    private readonly leaves: Leaves,
  ) {
    this.families = atoms.map(family);
  }

  private formula(lit: Draft): Formula {
    const key = `${lit.positive}:${lit.atoms.join(',')}`;
    let f = this.formulas.get(key);
    if (!f) {
      f =
        lit.atoms.length === 1
          ? this.leaves.get(this.atoms[lit.atoms[0] as number] as Atom, lit.positive)
          : undefined;
      if (!f) {
        const parts: Formula[] = lit.atoms.map((i) => ({ op: 'atom', atom: this.atoms[i] as Atom }));
        const any: Formula = parts.length === 1 ? (parts[0] as Formula) : { op: 'or', args: parts };
        f = lit.positive ? any : { op: 'not', arg: any };
      }
      this.formulas.set(key, f);
    }
    return f;
  }

  private conj(lits: readonly Draft[]): Formula {
    return { op: 'and', args: lits.map((l) => this.formula(l)) };
  }

  /** Whether every request matching `lits` is in `region`. */
  private inside(lits: readonly Draft[], region: Formula): boolean {
    const r = this.analyzer.implies(this.conj(lits), region);
    if (r.result === 'incomplete') throw new Undecided(r.reason);
    return r.result;
  }

  region(region: Formula, maxTerms: number): { terms: Term[]; complete: boolean } {
    const terms: Term[] = [];
    let rest: Formula = region;
    for (;;) {
      const sat = this.analyzer.satisfiable(rest);
      if (sat.result === 'incomplete') throw new Undecided(sat.reason);
      if (!sat.result) return { terms, complete: true };
      if (terms.length >= maxTerms) return { terms, complete: false };
      const witness = sat.witness;
      const cube: Draft[] = this.atoms.map((atom, i) => ({
        atoms: [i],
        positive: atomMatches(atom, witness),
      }));
      // INVARIANT: the region is a function of the app's atoms, so the witness's full valuation lies inside it.
      if (!this.inside(cube, region)) throw new Undecided('internal-error');
      let kept = cube;
      for (const drop of [...cube.filter((c) => !c.positive), ...cube.filter((c) => c.positive)]) {
        const trial = kept.filter((c) => c !== drop);
        if (this.inside(trial, region)) kept = trial;
      }
      for (const [k, lit] of kept.entries()) {
        if (!lit.positive) continue;
        const fam = this.families[lit.atoms[0] as number];
        for (let j = 0; j < this.atoms.length; j++) {
          // An atom another literal already decides would widen nothing (`(a or b) and not b` is `a and not b`).
          if (this.families[j] !== fam || kept.some((c) => c.atoms.includes(j))) continue;
          const wider = { atoms: [...lit.atoms, j], positive: true };
          const trial = kept.map((c, n) => (n === k ? wider : c));
          if (this.inside(trial, region)) {
            kept = trial;
            lit.atoms = wider.atoms;
          }
        }
      }
      // What the request has first, then what it lacks.
      const ordered = [...kept.filter((c) => c.positive), ...kept.filter((c) => !c.positive)];
      const literals: Literal[] = ordered.map((c) => ({
        atoms: c.atoms.map((i) => this.atoms[i] as Atom),
        positive: c.positive,
      }));
      terms.push({
        literals,
        text: phraseLiterals(literals, this.names),
        witness,
        who: describeWho(namedIdentity(witness, this.names)),
      });
      rest = { op: 'and', args: [rest, { op: 'not', arg: this.conj(kept) }] };
    }
  }
}
