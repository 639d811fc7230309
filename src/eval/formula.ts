import type { Formula } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import { atomMatches } from '../selectors/table.js';

/** Resolves a code-defined group name to its formula (undefined for an unknown or extern group). */
export type GroupLookup = (name: string) => Formula | undefined;

type Frame = { f: Formula; i: number };

/**
 * The language's meaning of a condition for one identity. Groups defined in code are expanded through `groups`,
 * each at most once per call (its value is remembered), so groups that use other groups several times cost their
 * size once. Iterative, so long chains of groups cannot overflow the stack; `and` / `or` stop at the first operand
 * that decides them. The resolver rejects group cycles; should one reach here anyway, the group met again inside
 * itself matches nothing.
 */
export function evaluateFormula(formula: Formula, identity: Identity, groups: GroupLookup): boolean {
  const memo = new Map<string, boolean>();
  const open = new Set<string>();
  const stack: Frame[] = [];
  let value = false;
  let next: Formula | undefined = formula;
  for (;;) {
    if (next) {
      const f: Formula = next;
      next = undefined;
      switch (f.op) {
        case 'const':
          value = f.value;
          break;
        case 'atom':
          value = atomMatches(f.atom, identity);
          break;
        case 'group': {
          const hit = memo.get(f.name);
          const body: Formula | undefined =
            hit === undefined && !open.has(f.name) ? groups(f.name) : undefined;
          if (hit !== undefined) value = hit;
          else if (!body) value = false;
          else {
            open.add(f.name);
            stack.push({ f, i: 0 });
            next = body;
          }
          break;
        }
        case 'not':
          stack.push({ f, i: 0 });
          next = f.arg;
          break;
        case 'and':
        case 'or':
          if (f.args.length === 0) value = f.op === 'and';
          else {
            stack.push({ f, i: 0 });
            next = f.args[0];
          }
          break;
      }
      if (next) continue;
    }
    const top = stack.pop();
    if (!top) return value;
    const f = top.f;
    if (f.op === 'group') {
      open.delete(f.name);
      memo.set(f.name, value);
    } else if (f.op === 'not') value = !value;
    else if (f.op === 'and' || f.op === 'or') {
      // `and` stops at the first false operand, `or` at the first true one.
      if (value === (f.op === 'or') || top.i + 1 >= f.args.length) continue;
      top.i++;
      stack.push(top);
      next = f.args[top.i];
    }
  }
}
