/**
 * Dependency order: every group after the groups it references, ties broken by name, so output is stable.
 * References to names not in `deps` (account groups) are ignored. A cycle (which the resolver rejects) cannot
 * hang: its members follow the rest, by name.
 */
export function orderGroups(deps: ReadonlyMap<string, readonly string[]>): string[] {
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [name, refs] of deps) {
    const known = [...new Set(refs)].filter((r) => deps.has(r) && r !== name);
    waitingOn.set(name, known.length);
    for (const r of known) {
      const list = dependents.get(r);
      if (list) list.push(name);
      else dependents.set(r, [name]);
    }
  }
  const ready = [...deps.keys()].filter((n) => waitingOn.get(n) === 0).sort();
  const out: string[] = [];
  const done = new Set<string>();
  while (ready.length > 0) {
    const next = ready.shift() as string;
    out.push(next);
    done.add(next);
    for (const d of dependents.get(next) ?? []) {
      const left = (waitingOn.get(d) as number) - 1;
      waitingOn.set(d, left);
      if (left === 0) insertSorted(ready, d);
    }
  }
  if (out.length < deps.size) out.push(...[...deps.keys()].filter((n) => !done.has(n)).sort());
  return out;
}

function insertSorted(list: string[], item: string): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as string) < item) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}
