import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../src/lint/rule.js';

describe('fillTemplate', () => {
  it.each([
    ['no placeholder', 'plain text', {}, 'plain text'],
    ['one', 'app `{app}` is open', { app: 'Wiki' }, 'app `Wiki` is open'],
    ['at both ends, twice, adjacent', '{a}{b} and {a}', { a: 1, b: 'x' }, '1x and 1'],
    ['unknown names left as written', '{known} {unknown}', { known: 'k' }, 'k {unknown}'],
    ['not a placeholder', '{} {1} { a }', { a: 'x' }, '{} {1} { a }'],
    ['a value that looks like one is not filled again', '{a} {b}', { a: '{b}', b: 'B' }, '{b} B'],
  ])('%s', (_name, template, data, expected) => {
    expect(fillTemplate(template, data)).toBe(expected);
    // The second fill (split template cached) reads the same.
    expect(fillTemplate(template, data)).toBe(expected);
  });
});
