import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Atom, type AtomValue, atomKey, type RefKind } from '../../src/model/formula.js';

const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('"', '\\', '\u0000', '\ud800', 'a,b', 'x=y', ')'),
);
const ref = fc.record(
  {
    kind: fc.constantFrom<RefKind>('group', 'idp', 'service_token', 'email_list'),
    name: text,
    id: text,
    members: fc.array(text, { maxLength: 3 }),
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

/** What `atomKey` means, written the plain way: fields in order, each value as `JSON.stringify` writes it. */
function reference(a: Atom, members: boolean): string {
  const fields = Object.keys(a.args)
    .sort()
    .map((k) => {
      const v = a.args[k] as AtomValue;
      if (typeof v === 'string' || Array.isArray(v))
        return `${k}=${JSON.stringify(typeof v === 'string' ? v : [...v].sort())}`;
      const named =
        v.id !== undefined ? `id=${JSON.stringify(v.id)}` : `name=${JSON.stringify(v.name ?? '')}`;
      return `${k}=${v.kind}:${named}${members && v.members ? `=${JSON.stringify(v.members)}` : ''}`;
    });
  return `${a.sel}(${fields.join(',')})`;
}

describe('atomKey', () => {
  it('is the plain reference, with and without list members', () => {
    fc.assert(
      fc.property(atom, fc.boolean(), (a, members) => {
        expect(atomKey(a, members)).toBe(reference(a, members));
      }),
      { numRuns: 3000 },
    );
  });
});
