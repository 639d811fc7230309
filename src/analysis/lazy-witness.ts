import type { Formula } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import type { Bdd, Path } from './bdd.js';
import type { Layout } from './layout.js';
import type { Theory } from './theory.js';
import { identityOf, type Mentions } from './witness.js';

/** What decoding a witness needs of its engine, whatever manager the answer came from. */
export interface WitnessSource {
  readonly theory: Theory;
  /** What of the attributes every request has (a source IP, a risk level) `f` mentions. */
  mentions(f: Formula): Mentions;
}

/**
 * An answer whose witness is decoded when first read: most answers a linter gets are never reported. One small
 * object per answer (the decoding sits on the prototype, the inputs in private fields); after the first read
 * `witness` is an ordinary own data property. Every search is pure and uses the answer's own manager and layout, so
 * a witness stays valid after the engine moved to another.
 */
abstract class DecodedWhenRead {
  readonly #source: WitnessSource;
  readonly #bdd: Bdd;
  readonly #layout: Layout;
  readonly #u: number;

  constructor(
    readonly result: boolean,
    source: WitnessSource,
    bdd: Bdd,
    layout: Layout,
    u: number,
  ) {
    this.#source = source;
    this.#bdd = bdd;
    this.#layout = layout;
    this.#u = u;
  }

  /** The path of the witness, in `bdd`, from `u`. */
  protected abstract path(bdd: Bdd, u: number): Path;
  /** What of the attributes every request has the witness must state. */
  protected abstract mentions(source: WitnessSource): Mentions;

  get witness(): Identity {
    // Read through the prototype (as some inspectors do): there is nothing to decode.
    if (!(#source in this)) return undefined as unknown as Identity;
    const source = this.#source;
    const path = this.path(this.#bdd, this.#u);
    const value = identityOf(this.#layout.read(path), source.theory, this.mentions(source));
    Object.defineProperty(this, 'witness', { value, enumerable: true, writable: true, configurable: true });
    return value;
  }
}

/**
 * A `false` (or `true`, for `satisfiable`) answer whose witness satisfies `u ∧ v` (`u ∧ ¬v` when `negate`): from the
 * path that sets the fewest variables if that is quick to find, else from the first path in the order of the check
 * that decided the answer (an exact-memo replay of that check, so it costs no more than the check plus one path).
 */
export class LazyWitness extends DecodedWhenRead {
  readonly #v: number;
  readonly #negate: boolean;
  readonly #a: Formula;
  readonly #b: Formula | undefined;

  constructor(
    result: boolean,
    source: WitnessSource,
    bdd: Bdd,
    layout: Layout,
    u: number,
    v: number,
    negate: boolean,
    a: Formula,
    b: Formula | undefined,
  ) {
    super(result, source, bdd, layout, u);
    this.#v = v;
    this.#negate = negate;
    this.#a = a;
    this.#b = b;
  }

  protected path(bdd: Bdd, u: number): Path {
    const v = this.#v;
    const negate = this.#negate;
    return bdd.minOnesPath(u, v, negate) ?? bdd.firstPath(u, v, negate) ?? [];
  }

  protected mentions(source: WitnessSource): Mentions {
    return source.mentions(this.#a) | (this.#b === undefined ? 0 : source.mentions(this.#b));
  }
}

/**
 * The `false` answer of `impliesUnion`: the plainest identity of `u` (`Bdd.lowTruePath`), which matches `f` and none
 * of the parts, stating what `f` and the parts mention.
 */
export class PlainestWitness extends DecodedWhenRead {
  readonly #f: Formula;
  readonly #parts: readonly Formula[];
  readonly #count: number;

  constructor(
    source: WitnessSource,
    bdd: Bdd,
    layout: Layout,
    u: number,
    f: Formula,
    parts: readonly Formula[],
    count: number,
  ) {
    super(false, source, bdd, layout, u);
    this.#f = f;
    this.#parts = parts;
    this.#count = count;
  }

  protected path(bdd: Bdd, u: number): Path {
    return bdd.lowTruePath(u);
  }

  protected mentions(source: WitnessSource): Mentions {
    let mentions = source.mentions(this.#f);
    for (let i = 0; i < this.#count; i++) mentions |= source.mentions(this.#parts[i] as Formula);
    return mentions;
  }
}
