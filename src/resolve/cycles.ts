import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Related, Span } from '../diagnostics/diagnostic.js';
import type { Formula } from '../model/formula.js';
import type { GroupDef } from '../model/project.js';

interface Edge {
  to: string;
  span: Span;
}

/** The code groups a formula refers to, with the span of each reference. */
export function groupReferences(formula: Formula, out: Edge[] = []): Edge[] {
  switch (formula.op) {
    case 'group':
      out.push({ to: formula.name, span: formula.span ?? { file: '', start: 0, end: 0 } });
      break;
    case 'not':
      groupReferences(formula.arg, out);
      break;
    case 'and':
    case 'or':
      for (const f of formula.args) groupReferences(f, out);
      break;
    default:
      break;
  }
  return out;
}

/** Strongly connected components (Tarjan, iterative so long chains of groups cannot overflow the stack). */
function components(nodes: readonly string[], edges: ReadonlyMap<string, Edge[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let next = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; i: number };
      const out = edges.get(frame.node) ?? [];
      if (frame.i < out.length) {
        const to = (out[frame.i++] as Edge).to;
        if (!edges.has(to)) continue; // not a code group
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent)
        low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const scc: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          scc.push(member);
        } while (member !== frame.node);
        result.push(scc);
      }
    }
  }
  return result;
}

/** The shortest path of references from `start` back to itself inside one component. */
function cycleFrom(start: string, members: ReadonlySet<string>, edges: ReadonlyMap<string, Edge[]>): Edge[] {
  const via = new Map<string, { from: string; edge: Edge }>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const edge of edges.get(node) ?? []) {
      if (!members.has(edge.to)) continue;
      if (edge.to === start) {
        const path = [edge];
        let at = node;
        while (at !== start) {
          const step = via.get(at) as { from: string; edge: Edge };
          path.unshift(step.edge);
          at = step.from;
        }
        return path;
      }
      if (via.has(edge.to)) continue;
      via.set(edge.to, { from: node, edge });
      queue.push(edge.to);
    }
  }
  return []; // INVARIANT: unreachable for a component with a cycle
}

/** Replace references into `members` by `false`, so evaluation of a broken project terminates. */
function cut(formula: Formula, members: ReadonlySet<string>): Formula {
  switch (formula.op) {
    case 'group':
      return members.has(formula.name) ? { op: 'const', value: false, span: formula.span } : formula;
    case 'not':
      return { ...formula, arg: cut(formula.arg, members) };
    case 'and':
    case 'or':
      return { ...formula, args: formula.args.map((f) => cut(f, members)) };
    default:
      return formula;
  }
}

/**
 * Report each group cycle once (ACL0306 on the cycle's first-declared group, naming the whole cycle) and cut
 * the references that close it, so later stages may expand groups without looping.
 */
export function checkGroupCycles(groups: Map<string, GroupDef>, diagnostics: Diagnostic[]): void {
  const order = [...groups.keys()];
  const edges = new Map<string, Edge[]>();
  for (const [name, def] of groups) if (def.formula) edges.set(name, groupReferences(def.formula));
  const position = new Map(order.map((n, i) => [n, i]));
  for (const scc of components(order, edges)) {
    const members = new Set(scc);
    const single = scc[0] as string;
    const cyclic = scc.length > 1 || (edges.get(single) ?? []).some((e) => e.to === single);
    if (!cyclic) continue;
    const first = [...scc].sort(
      (a, b) => (position.get(a) as number) - (position.get(b) as number),
    )[0] as string;
    const path = cycleFrom(first, members, edges);
    const cycle = [first, ...path.map((e) => e.to)].map((n) => `\`${n}\``).join(' → ');
    let from = first;
    const related: Related[] = path.map((edge) => {
      const r = { span: edge.span, message: `\`${from}\` refers to \`${edge.to}\` here` };
      from = edge.to;
      return r;
    });
    const def = groups.get(first) as GroupDef;
    diagnostics.push(diagnostic('ACL0306', def.nameSpan, { name: first, cycle }, { related }));
    for (const name of scc) {
      const member = groups.get(name) as GroupDef;
      if (member.formula) member.formula = cut(member.formula, members);
    }
  }
}
