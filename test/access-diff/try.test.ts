import { it } from 'vitest';
import { accessDiff } from '../../src/access-diff/engine.js';
import { compiled, WIKI_AFTER, WIKI_BEFORE } from './helpers.js';
it('try', () => {
  const d = accessDiff({ before: compiled(WIKI_BEFORE), after: compiled(WIKI_AFTER) });
  for (const a of d.apps) { console.log(a.app, a.status); for (const c of a.changes) { console.log(' ', c.kind, c.from, '->', c.to, c.complete); for (const t of c.terms) console.log('    ', t.text, JSON.stringify(t.witness)); } }
  const d2 = accessDiff({ before: compiled(WIKI_AFTER), after: compiled(WIKI_BEFORE) });
  for (const a of d2.apps) { console.log(a.app, a.status); for (const c of a.changes) { console.log(' ', c.kind, c.from, '->', c.to, c.complete); for (const t of c.terms) console.log('    ', t.text, JSON.stringify(t.witness)); } }
  console.log(d.summary);
});
