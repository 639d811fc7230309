import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastAtomKey } from '../../src/compiler/normalize.js';
import { type Atom, type AtomValue, atomKey, type RefKind } from '../../src/model/formula.js';

const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('"', '\\', '\u0000', '\ud800', 'a,b', 'x=y', ')'),
);
const ref = fc.record(
  {
    kind: fc.constantFrom<RefKind>('group', 'idp', 'service_token'),
    name: text,
    id: text,
  },
  { requiredKeys: ['kind'] },
);
const value: fc.Arbitrary<AtomValue> = fc.oneof(text, fc.array(text, { maxLength: 4 }), ref);
const atom: fc.Arbitrary<Atom> = fc.record({
  sel: fc.constantFrom('email', 'group', 'okta_group', 'user_risk_score', 'everyone'),
  args: fc.dictionary(
    fc.constantFrom('email', 'id', 'name', 'identity_provider_id', 'b', 'a', '_', 'Z'),
    value,
    {
      maxKeys: 4,
    },
  ),
});

describe('fastAtomKey', () => {
  it('is atomKey', () => {
    fc.assert(
      fc.property(atom, (a) => {
        expect(fastAtomKey(a)).toBe(atomKey(a));
      }),
      { numRuns: 2000 },
    );
  });
});
