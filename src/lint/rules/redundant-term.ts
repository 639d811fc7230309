import { atomKeyArg, atomListMembers, atomStr } from '../../analysis/atom-args.js';
import { domainOf } from '../../analysis/theory.js';
import type { Span } from '../../diagnostics/diagnostic.js';
import { printExpr } from '../../fmt/expr.js';
import { type Atom, atomKey, type Formula } from '../../model/formula.js';
import type { Project } from '../../model/project.js';
import { describeWho } from '../phrase.js';
import { defineRule, type RuleContext } from '../rule.js';
import { policySat, warm } from '../semantics.js';
import { directAtoms, exprsBySpan } from '../walk.js';

type Node = Extract<Formula, { op: 'and' | 'or' }>;

/** `root` with `target` taken out of its `and` / `or` parent (ancestors rebuilt, everything else shared). */
function without(root: Formula, target: Formula): { formula: Formula; parent: Node } | undefined {
  if (root.op === 'not') {
    const inner = without(root.arg, target);
    return inner && { formula: { ...root, arg: inner.formula }, parent: inner.parent };
  }
  if (root.op !== 'and' && root.op !== 'or') return undefined;
  const at = root.args.indexOf(target);
  if (at >= 0) {
    const rest = root.args.filter((_, i) => i !== at);
    return { formula: rest.length === 1 ? (rest[0] as Formula) : { ...root, args: rest }, parent: root };
  }
  for (let i = 0; i < root.args.length; i++) {
    const inner = without(root.args[i] as Formula, target);
    if (inner) {
      const args = [...root.args];
      args[i] = inner.formula;
      return { formula: { ...root, args }, parent: inner.parent };
    }
  }
  return undefined;
}

/** Terms of `and` / `or` nodes with at least two operands, outermost first. */
function candidates(f: Formula, out: Formula[] = []): Formula[] {
  if (f.op === 'not') candidates(f.arg, out);
  else if (f.op === 'and' || f.op === 'or') {
    for (const arg of f.args) {
      if (f.args.length > 1 && arg.span) out.push(arg);
      candidates(arg, out);
    }
  }
  return out;
}

/** Past this many terms, a condition is checked term by term within each `and` / `or` (linear) instead of whole. */
const GLOBAL_LIMIT = 64;

interface Found {
  term: Formula;
  parent: 'and' | 'or';
}

/**
 * A condition's terms and values, spans left out (`undefined` past `MAX_KEY_DEPTH`): two conditions with the same key
 * have the same redundant terms, in the same candidate positions. Atoms and groups are written as small numbers
 * (`memo.ids`, one per distinct atom or group name in the run), so keys stay short.
 *
 * A service token or an email address that no group and no list of the project names is written by its place among
 * such values in this condition (`local`), an address with its domain: `service_token("ci-7") and ip(…)` and
 * `service_token("ci-8") and ip(…)` share a key. Sound because renaming such values (tokens among tokens, addresses
 * among the addresses of one domain) maps identities one to one and leaves every other atom, group and list
 * unchanged, so it maps one condition onto the other term by term and keeps what each term is redundant to. A list
 * atom whose members are not all named elsewhere leaves the condition without a key.
 */
function shapeKey(f: Formula, memo: Memo, local: Map<string, number>, depth = 0): string | undefined {
  if (depth > MAX_KEY_DEPTH) return undefined;
  switch (f.op) {
    case 'const':
      return f.value ? 'T' : 'F';
    case 'atom':
      return atomShape(f.atom, memo, local);
    case 'group':
      return `g${idOf(memo.ids, `g${f.name}`)}`;
    case 'not': {
      const inner = shapeKey(f.arg, memo, local, depth + 1);
      return inner === undefined ? undefined : `!${inner}`;
    }
    default: {
      let key = `${f.op}(`;
      for (let i = 0; i < f.args.length; i++) {
        const a = f.args[i] as Formula;
        const k = shapeKey(a, memo, local, depth + 1);
        if (k === undefined) return undefined;
        key += `${i > 0 ? ',' : ''}${a.span ? '' : '~'}${k}`;
      }
      return `${key})`;
    }
  }
}

/** One atom in a `shapeKey`. */
function atomShape(atom: Atom, memo: Memo, local: Map<string, number>): string | undefined {
  if (atom.sel === 'email') {
    const address = atomStr(atom.args, 'email');
    if (!memo.named.emails.has(address)) return `e${idOf(local, `e${address}`)}@${domainOf(address)}`;
  } else if (atom.sel === 'service_token') {
    const token = atomKeyArg(atom.args, 'token_id');
    if (!memo.named.tokens.has(token)) return `t${idOf(local, `t${token}`)}`;
  } else if (atom.sel === 'email_list') {
    const members = atomListMembers(atom.args);
    if (members?.some((m) => !memo.named.emails.has(m))) return undefined;
  }
  return `a${idOf(memo.ids, atomKey(atom))}`;
}

/** The email addresses and service tokens the project's groups and lists name (kept as written in keys). */
function namedValues(project: Project): Memo['named'] {
  const emails = new Set<string>();
  const tokens = new Set<string>();
  for (const list of project.lists?.values() ?? [])
    if (list.type === 'email') for (const m of list.members) emails.add(m);
  for (const group of project.groups.values()) {
    if (!group.formula) continue;
    for (const atom of directAtoms(group.formula)) {
      if (atom.sel === 'email') emails.add(atomStr(atom.args, 'email'));
      else if (atom.sel === 'service_token') tokens.add(atomKeyArg(atom.args, 'token_id'));
      else if (atom.sel === 'email_list') for (const m of atomListMembers(atom.args) ?? []) emails.add(m);
    }
  }
  return { emails, tokens };
}

/** The number of `key` in `ids`, given out on first sight. */
function idOf(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = ids.size;
    ids.set(key, id);
  }
  return id;
}

const MAX_KEY_DEPTH = 100;

/** What the check of one condition found: the indices (in `candidates`) of its redundant terms, in report order. */
interface Outcome {
  global: boolean;
  found: number[];
}

/**
 * Exact and global: a term is redundant when the whole condition minus the term is equivalent to it; each removal
 * is kept (greedy), so terms redundant only together are reported one at a time. Costs one rebuilt path per term.
 */
function globalCheck(
  ctx: RuleContext<unknown>,
  formula: Formula,
  report: (f: Found, root: Formula) => void,
): boolean {
  const analyzer = ctx.analyzer();
  let current = formula;
  for (const term of candidates(formula)) {
    const removed = without(current, term);
    if (!removed) continue;
    const r = analyzer.equivalent(current, removed.formula);
    if (r.result === 'incomplete') return false;
    if (r.result !== true) continue;
    report({ term, parent: removed.parent.op }, current);
    current = removed.formula;
  }
  return true;
}

/**
 * Sound and linear, for large conditions: within each `and` / `or`, a term is redundant when the other operands
 * already imply it (`and`) or cover it (`or`). Operands are scanned left to right against the union (or
 * intersection) of those kept so far and those still to come, built as nested binary nodes the engine caches.
 */
function localCheck(
  ctx: RuleContext<unknown>,
  formula: Formula,
  report: (f: Found, root: Formula) => void,
): boolean {
  const analyzer = ctx.analyzer();
  const visit = (f: Formula): boolean => {
    if (f.op === 'not') return visit(f.arg);
    if (f.op !== 'and' && f.op !== 'or') return true;
    const neutral: Formula = { op: 'const', value: f.op === 'and' };
    const join = (a: Formula, b: Formula): Formula => ({ op: f.op, args: [a, b] }) as Formula;
    const suffix: Formula[] = new Array(f.args.length + 1);
    suffix[f.args.length] = neutral;
    for (let i = f.args.length - 1; i >= 0; i--) {
      suffix[i] = join(f.args[i] as Formula, suffix[i + 1] as Formula);
      warm(ctx, suffix[i] as Formula);
    }
    let kept: Formula = neutral;
    for (let i = 0; i < f.args.length; i++) {
      const term = f.args[i] as Formula;
      const others = join(kept, suffix[i + 1] as Formula);
      const r = f.op === 'or' ? analyzer.implies(term, others) : analyzer.implies(others, term);
      if (r.result === 'incomplete') return false;
      if (r.result === true && f.args.length > 1 && term.span) report({ term, parent: f.op }, formula);
      else kept = join(kept, term);
      if (!visit(term)) return false;
    }
    return true;
  };
  return visit(formula);
}

/** The outcomes of the conditions checked so far in a run, by `shapeKey`, and the numbers the keys use. */
interface Memo {
  outcomes: Map<string, Outcome>;
  ids: Map<string, number>;
  /** Values written as they are in keys (`shapeKey`). */
  named: { emails: ReadonlySet<string>; tokens: ReadonlySet<string> };
}

/**
 * Report every redundant term of one condition. `memo` holds the outcome of each condition checked so far by its
 * `shapeKey`: a condition written again (the same terms and values, in another policy or app) is not analysed
 * again; its findings are replayed on its own terms, with witnesses computed as the check would.
 */
function check(
  ctx: RuleContext<unknown>,
  formula: Formula,
  owner: string,
  ownerSpan: Span,
  memo: Memo,
): void {
  const sat = policySat(ctx, formula).result;
  if (sat === 'incomplete') ctx.incomplete(ownerSpan, `the terms of ${owner}`);
  if (sat !== true) return; // nothing to simplify in a condition nobody matches
  const cands = candidates(formula);
  if (cands.length === 0) return; // a single term: nothing to take out
  const analyzer = ctx.analyzer();
  const file = ctx.files.get(ownerSpan.file);
  const report = ({ term, parent }: Found, root: Formula) => {
    const span = term.span as Span;
    // Quoted as the formatter prints it, so the message is the same however the source is laid out.
    const expr = ctx
      .shared('exprs-by-span', () => exprsBySpan(ctx.asts))
      .get(`${span.file}:${span.start}:${span.end}`);
    const text = expr ? printExpr(expr) : (file?.text.slice(span.start, span.end) ?? '');
    const witness = analyzer.witnessFor(parent === 'and' ? root : { op: 'and', args: [term, root] });
    // No identity matches the term together with the rest: say whether it matches nobody at all.
    const alone = witness ? undefined : analyzer.satisfiable(term).result;
    ctx.report({
      messageId: witness
        ? parent === 'and'
          ? 'implied'
          : 'covered'
        : alone === false
          ? 'empty'
          : 'disjoint',
      data: {
        term: text.length > 60 ? `${text.slice(0, 57)}…` : text,
        owner,
        ...(witness ? { who: describeWho(witness) } : {}),
      },
      span,
      ...(witness ? { witness } : {}),
      help: 'remove it (and its `and` / `or`): the condition matches exactly the same identities without it',
    });
  };
  const key = shapeKey(formula, memo, new Map());
  const known = key === undefined ? undefined : memo.outcomes.get(key);
  if (known) {
    let current = formula;
    for (const i of known.found) {
      const term = cands[i] as Formula;
      if (!known.global) {
        report({ term, parent: parentOp(formula, term) }, formula);
        continue;
      }
      // INVARIANT: the same shape, so the term is still in `current` (the earlier removals were of other terms).
      const removed = without(current, term) as NonNullable<ReturnType<typeof without>>;
      report({ term, parent: removed.parent.op }, current);
      current = removed.formula;
    }
    return;
  }
  const outcome: Outcome = { global: cands.length <= GLOBAL_LIMIT, found: [] };
  const record = (f: Found, root: Formula) => {
    outcome.found.push(cands.indexOf(f.term));
    report(f, root);
  };
  const complete = outcome.global ? globalCheck(ctx, formula, record) : localCheck(ctx, formula, record);
  if (!complete) ctx.incomplete(ownerSpan, `the terms of ${owner}`);
  else if (key !== undefined) memo.outcomes.set(key, outcome);
}

/** The `and` / `or` node whose operand `term` is (found by object). */
function parentOp(root: Formula, term: Formula): 'and' | 'or' {
  const stack: Formula[] = [root];
  for (let f = stack.pop(); f; f = stack.pop()) {
    if (f.op === 'not') stack.push(f.arg);
    else if (f.op === 'and' || f.op === 'or') {
      if (f.args.includes(term)) return f.op;
      stack.push(...f.args);
    }
  }
  // INVARIANT: `term` is a candidate of `root`, so an operand of one of its `and` / `or` nodes.
  return 'and';
}

export const redundantTerm = defineRule({
  meta: {
    id: 'redundant-term',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary: 'a term of a condition can be removed without changing who the condition matches',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    implied: '`{term}` is redundant in {owner}: whoever matches the rest also matches it (e.g. {who})',
    covered:
      '`{term}` is redundant in {owner}: everyone it matches is matched by the rest anyway (e.g. {who})',
    empty: '`{term}` is redundant in {owner}: it matches nobody',
    disjoint: '`{term}` is redundant in {owner}: nobody it matches also matches the rest of the condition',
  },
  check(ctx) {
    const memo: Memo = { outcomes: new Map(), ids: new Map(), named: namedValues(ctx.project) };
    for (const group of ctx.project.groups.values()) {
      if (group.formula) check(ctx, group.formula, `group \`${group.name}\``, group.nameSpan, memo);
    }
    for (const policy of ctx.project.policies.values()) {
      check(ctx, policy.formula, `policy \`${policy.displayName}\``, policy.nameSpan, memo);
    }
  },
});
