import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LiveState } from '../../src/deploy/live.js';
import { accountFromExport } from '../../src/import/account.js';
import { identitiesFor, identityFacts } from '../../src/import/identities.js';
import { importAccount } from '../../src/import/import.js';
import { listMemberships } from '../../src/import/list-members.js';
import { proveImport } from '../../src/import/proof.js';
import type { WireList } from '../../src/model/compiled.js';
import type { Identity } from '../../src/model/identity.js';
import { hasMember, inSomeBlock } from '../../src/selectors/members.js';
import { cidrContains } from '../../src/selectors/values.js';
import { refToWire, type WireRule } from '../../src/selectors/wire.js';

// The import's proof on an account with lists of thousands of items: each identity used to be checked against
// every item of every list its app's rules name (and `identitiesFor` worked out the boundaries of every item for
// every app), which took minutes here; the answers are checked against the former algorithms below.

const uuid = (kind: number, n: number) =>
  `00000000-0000-4000-8000-${(kind * 1_000_000 + n).toString(16).padStart(12, '0')}`;

/** Apps linking 5 policies each; a policy needs a group (an email domain or an email list) and an IP list. */
function bigAccount(apps: number, items: number): LiveState {
  const lists = [0, 1, 2, 3].map((l) => ({
    id: uuid(4, l),
    name: `List ${l}`,
    type: l % 2 ? 'IP' : 'EMAIL',
    items: Array.from({ length: items }, (_, i) => ({
      value: l % 2 ? `10.${l}.${(i >> 8) & 255}.${i & 255}/32` : `u${i}@l${l}.example.com`,
    })),
  }));
  const groups = Array.from({ length: 10 }, (_, g) => ({
    id: uuid(1, g),
    name: `Team ${g}`,
    include: [
      { email_domain: { domain: `t${g}.example.com` } },
      { email_list: { id: uuid(4, (2 * g) % 4) } },
    ],
    exclude: [],
    require: [],
  }));
  const policies = Array.from({ length: 20 }, (_, p) => ({
    id: uuid(2, p),
    name: `Policy ${p}`,
    decision: p % 10 ? 'allow' : 'deny',
    include: [{ group: { id: uuid(1, p % 10) } }],
    exclude: [],
    require: [{ ip_list: { id: uuid(4, (2 * p + 1) % 4) } }],
  }));
  const appList = Array.from({ length: apps }, (_, a) => ({
    id: uuid(3, a),
    name: `App ${a}`,
    domain: `app${a}.example.com`,
    type: 'self_hosted',
    policies: Array.from({ length: 5 }, (_, k) => ({ id: uuid(2, (a * 5 + k) % 20), precedence: k + 1 })),
  }));
  const { live, error } = accountFromExport({ lists, groups, policies, apps: appList });
  if (!live) throw new Error(error);
  return live;
}

describe('the import proof on big lists', () => {
  it('proves 20 apps naming lists of 5,000 items (minutes before list membership was indexed)', () => {
    const live = bigAccount(20, 5000);
    const imported = importAccount(live);
    const proof = proveImport(live, imported.value.files);
    expect(proof.diagnostics).toEqual([]);
    expect(proof.differences).toEqual([]);
    expect(proof.apps).toBe(20);
    expect(proof.proved).toBe(20);
    expect(proof.identities).toBe(20 * 2000);
  });
});

// ── the former algorithms, as references ──────────────────────────────────────────────────────────────────────

function formerMemberships(live: LiveState): (identity: Identity) => Identity {
  const lists = (live.lists ?? []).flatMap((l) =>
    Array.isArray(l.items) && (l.type === 'IP' || l.type === 'EMAIL')
      ? [{ id: l.id, type: l.type, values: l.items.map((i) => i.value) }]
      : [],
  );
  if (lists.length === 0) return (identity) => identity;
  return (identity) => {
    const { ip, email } = identity;
    const ips =
      ip === undefined
        ? []
        : lists.filter((l) => l.type === 'IP' && l.values.some((v) => cidrContains(v, ip))).map((l) => l.id);
    const emails =
      email === undefined
        ? []
        : lists
            .filter(
              (l) => l.type === 'EMAIL' && l.values.some((v) => v.toLowerCase() === email.toLowerCase()),
            )
            .map((l) => l.id);
    if (ips.length === 0 && emails.length === 0) return identity;
    const out: Identity = { ...identity };
    if (ips.length > 0) out.ipLists = [...new Set([...(identity.ipLists ?? []), ...ips])];
    if (emails.length > 0) out.emailLists = [...new Set([...(identity.emailLists ?? []), ...emails])];
    return out;
  };
}

const EMAILS = ['a@x.com', 'A@x.com', 'b@x.com', 'c@y.org', 'İ@x.com', 'd@y.org'];
const IPS = [
  '10.0.0.1',
  '10.0.0.0',
  '10.0.1.255',
  '10.0.2.0',
  '192.168.1.7',
  '2001:db8::1',
  '2001:db9::',
  '::1',
];
const CIDRS = [
  '10.0.0.0/24',
  '10.0.1.0/24',
  '10.0.0.1/32',
  '192.168.0.0/16',
  '2001:db8::/32',
  '::1/128',
  'bad',
];

describe('list membership, indexed', () => {
  it('hasMember and inSomeBlock answer as includes and some, before and after their index is made', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...EMAILS), { maxLength: 40 }),
        fc.array(fc.constantFrom(...CIDRS), { maxLength: 40 }),
        fc.array(fc.tuple(fc.constantFrom(...EMAILS), fc.constantFrom(...IPS)), { maxLength: 20 }),
        (emails, cidrs, asks) => {
          for (const [email, ip] of [...asks, ...asks]) {
            expect(hasMember(emails, email)).toBe(emails.includes(email));
            expect(inSomeBlock(cidrs, ip)).toBe(cidrs.some((c) => cidrContains(c, ip)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('inSomeBlock answers as a scan with cidrContains on random blocks (overlapping, host bits set, both families)', () => {
    // Addresses from a small space, so that blocks overlap, touch and contain the addresses asked about.
    const v4 = fc
      .tuple(fc.constantFrom(10, 11), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 }))
      .map(([a, b, c]) => `${a}.0.${b}.${c}`);
    const v6 = fc
      .tuple(fc.constantFrom('2001:db8', '2001:db9'), fc.integer({ min: 0, max: 0xffff }))
      .map(([p, x]) => `${p}::${x.toString(16)}`);
    const block = fc.oneof(
      fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, bits]) => `${a}/${bits > 8 ? bits : 32 - bits}`),
      fc.tuple(v6, fc.integer({ min: 100, max: 128 })).map(([a, bits]) => `${a}/${bits}`),
      fc.constantFrom('bad', '10.0.0.1', '::/0', '0.0.0.0/0', '::ffff:10.0.0.0/104'),
    );
    const ask = fc.oneof(v4, v6, fc.constantFrom('not an ip', '::ffff:10.0.0.1', '10.0.0.256'));
    let inside = 0;
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 16, maxLength: 60 }),
        fc.array(ask, { maxLength: 30 }),
        (cidrs, asks) => {
          for (const ip of asks) {
            const want = cidrs.some((c) => cidrContains(c, ip));
            if (want) inside++;
            expect(inSomeBlock(cidrs, ip)).toBe(want);
          }
        },
      ),
      { numRuns: 500 },
    );
    expect(inside).toBeGreaterThan(300);
  });

  it('listMemberships answers as the former scan of every item', () => {
    const list = fc.record({
      type: fc.constantFrom('IP', 'EMAIL'),
      values: fc.array(fc.constantFrom(...EMAILS, ...CIDRS), { maxLength: 30 }),
      withItems: fc.boolean(),
    });
    const identity = fc.record(
      {
        email: fc.constantFrom(...EMAILS),
        ip: fc.constantFrom(...IPS),
        ipLists: fc.array(fc.constantFrom(uuid(4, 0), 'other'), { maxLength: 2 }),
        emailLists: fc.array(fc.constantFrom(uuid(4, 1), 'other'), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(list, { maxLength: 5 }), fc.array(identity, { maxLength: 15 }), (lists, ids) => {
        const live: LiveState = {
          groups: [],
          policies: [],
          apps: [],
          lists: lists.map((l, i) => ({
            id: uuid(4, i % 3),
            name: `L${i}`,
            type: l.type as 'IP' | 'EMAIL',
            ...(l.withItems ? { items: l.values.map((value) => ({ value })) } : {}),
          })),
        };
        const now = listMemberships(live);
        const before = formerMemberships(live);
        for (const id of [...ids, ...ids]) expect(now(id)).toEqual(before(id));
      }),
      { numRuns: 300 },
    );
  });
});

describe('identitiesFor', () => {
  it('answers as before when the facts of its rules reach the limit: the empty identity and the first facts', () => {
    const rule = fc.oneof(
      fc.constantFrom(...EMAILS).map((email): WireRule => ({ email: { email } })),
      fc.constantFrom(...CIDRS.slice(0, 6)).map((ip): WireRule => ({ ip: { ip } })),
      fc.constantFrom('DE', 'US').map((c): WireRule => ({ geo: { country_code: c } })),
      fc
        .constantFrom('E', 'I', 'missing')
        .map(
          (name): WireRule =>
            name === 'I'
              ? { ip_list: { id: refToWire({ kind: 'ip_list', name }) } }
              : { email_list: { id: refToWire({ kind: 'email_list', name }) } },
        ),
    );
    let cut = 0;
    fc.assert(
      fc.property(
        fc.array(rule, { maxLength: 12 }),
        fc.array(fc.constantFrom(...EMAILS), { maxLength: 30 }),
        fc.array(fc.constantFrom(...CIDRS.slice(0, 6)), { maxLength: 30 }),
        fc.integer({ min: 0, max: 40 }),
        (rules, emails, cidrs, limit) => {
          const lists: WireList[] = [
            { name: 'E', type: 'EMAIL', items: emails.map((value) => ({ value })) },
            { name: 'I', type: 'IP', items: cidrs.map((value) => ({ value })) },
          ];
          const facts = identityFacts(rules, lists);
          const got = identitiesFor(rules, limit, lists);
          // The former algorithm put every fact after the empty identity, then the rest, and cut at the limit.
          expect(got).toEqual(identitiesFor(rules, 100_000, lists).slice(0, limit));
          if (limit > 0 && facts.length >= limit) {
            cut++;
            expect(got).toEqual([{}, ...facts].slice(0, limit));
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(cut).toBeGreaterThan(60);
  });
});
