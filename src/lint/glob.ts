/**
 * Glob matching in time linear in the path for a given glob (a set of positions in the pattern is carried along
 * the path, Thompson style), so no pattern can make it backtrack: `**a**a**a…b` against a long path costs
 * O(path × pattern), never exponential time.
 *
 * `*` matches within one name, `?` one character of a name, `**` then `/` zero or more folders, `**` elsewhere any run.
 */

type Token =
  | { kind: 'char'; c: string }
  | { kind: 'one' }
  | { kind: 'star' }
  | { kind: 'globstar' }
  | { kind: 'folders' };

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      while (glob[i + 1] === '*') i++;
      if (glob[i + 1] === '/') {
        tokens.push({ kind: 'folders' });
        i++;
      } else tokens.push({ kind: 'globstar' });
    } else if (c === '*') tokens.push({ kind: 'star' });
    else if (c === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'char', c });
  }
  return tokens;
}

/** A matcher with the `test` method of a RegExp, for paths with `/` separators. */
export interface GlobMatcher {
  test(path: string): boolean;
}

export function globMatcher(glob: string): GlobMatcher {
  const tokens = tokenize(glob);
  const n = tokens.length;
  // Every `char` token reads exactly its character, so each run of them appears in a matching path as it is, the
  // runs in order: most paths a glob does not match are turned away by a few `indexOf`s.
  const runs: string[] = [];
  let run = '';
  for (const t of tokens) {
    if (t.kind === 'char') run += t.c;
    else if (run) {
      runs.push(run);
      run = '';
    }
  }
  if (run) runs.push(run);
  const anchoredStart = tokens[0]?.kind === 'char' ? (runs[0] as string) : '';
  const anchoredEnd = tokens[n - 1]?.kind === 'char' ? (runs[runs.length - 1] as string) : '';
  const mayMatch = (path: string): boolean => {
    if (!path.startsWith(anchoredStart) || !path.endsWith(anchoredEnd)) return false;
    let from = 0;
    for (const r of runs) {
      const at = path.indexOf(r, from);
      if (at < 0) return false;
      from = at + r.length;
    }
    return true;
  };
  /** Add state `start` and every state after it that stars let the path reach without reading. */
  const close = (states: Uint8Array, start: number) => {
    for (let i = start; i <= n; i++) {
      states[i] = 1;
      const t = tokens[i];
      if (!t || t.kind === 'char' || t.kind === 'one') return;
    }
  };
  // The state sets, reused by every test (a matcher is used by one caller at a time).
  let current = new Uint8Array(n + 1);
  let next = new Uint8Array(n + 1);
  // `folders` states that have read a name and wait for its `/` (a second set of states).
  let inFolder = new Uint8Array(n + 1);
  let nextInFolder = new Uint8Array(n + 1);
  return {
    test(path: string): boolean {
      if (!mayMatch(path)) return false;
      current.fill(0);
      inFolder.fill(0);
      close(current, 0);
      for (let p = 0; p < path.length; p++) {
        const ch = path[p] as string;
        next.fill(0);
        nextInFolder.fill(0);
        for (let i = 0; i < n; i++) {
          const t = tokens[i] as Token;
          // Inside a folder name of `**` + `/`: more of the name, or its `/` (then another folder, or what follows).
          if (inFolder[i]) {
            if (ch === '/') close(next, i);
            else nextInFolder[i] = 1;
          }
          if (!current[i]) continue;
          switch (t.kind) {
            case 'char':
              if (t.c === ch) close(next, i + 1);
              break;
            case 'one':
              if (ch !== '/') close(next, i + 1);
              break;
            case 'star':
              if (ch !== '/') close(next, i);
              break;
            case 'globstar':
              close(next, i);
              break;
            case 'folders':
              if (ch === '/') close(next, i);
              else nextInFolder[i] = 1;
              break;
          }
        }
        const read = current;
        current = next;
        next = read;
        const waiting = inFolder;
        inFolder = nextInFolder;
        nextInFolder = waiting;
      }
      return current[n] === 1;
    },
  };
}

/** Whether `name` matches `pattern`, where `*` is any run of characters (app-name patterns); linear time too. */
export function matchesWildcard(pattern: string, name: string): boolean {
  // The classic two-pointer wildcard match: on a mismatch, retry from the last `*`, one character further.
  let p = 0;
  let s = 0;
  let star = -1;
  let mark = 0;
  while (s < name.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === name[s]) {
      p++;
      s++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = s;
    } else if (star >= 0) {
      p = star + 1;
      s = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
