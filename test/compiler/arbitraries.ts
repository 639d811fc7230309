import fc from 'fast-check';
import type { Decision } from '../../src/model/decision.js';
import type { Formula } from '../../src/model/formula.js';
import type { Identity } from '../../src/model/identity.js';
import type { Project } from '../../src/model/project.js';
import * as h from './helpers.js';

/**
 * Random formulas over a pool of atoms that a small universe of identities makes true and false in many
 * combinations (overlapping CIDRs, domain vs address, IdP-bound groups, risk-level sets, account groups).
 */
export const ATOMS: Formula[] = [
  h.email('a@x.com'),
  h.email('b@y.org'),
  h.domain('x.com'),
  h.country('US'),
  h.country('DE'),
  h.mfa('mfa'),
  h.mfa('hwk'),
  h.ip('10.0.0.0/8'),
  h.ip('10.1.0.0/16'),
  h.certificate,
  h.everyone,
  h.anyServiceToken,
  h.okta('eng'),
  h.okta('ops'),
  h.risk('low', 'medium'),
  h.risk('high'),
  h.externGroup('account-admins'),
  h.externGroup('account-eng'),
];

export const CODE_GROUPS = ['g0', 'g1', 'g2'] as const;
/** Declared `extern group "ext"` and referenced like a code group. */
export const EXTERN_GROUP = 'ext';

export const identityArb: fc.Arbitrary<Identity> = fc.record(
  {
    email: fc.constantFrom('a@x.com', 'b@y.org', 'c@x.com', 'd@z.net'),
    country: fc.constantFrom('US', 'DE', 'FR'),
    ip: fc.constantFrom('10.1.2.3', '10.2.0.1', '192.0.2.1'),
    authMethods: fc.subarray(['mfa', 'hwk', 'pwd']),
    certificate: fc.boolean(),
    serviceToken: fc.constantFrom('tok-1'),
    loginMethod: fc.constantFrom('okta', 'github'),
    idpGroups: fc.subarray(['eng', 'ops']),
    riskScore: fc.constantFrom('low' as const, 'medium' as const, 'high' as const, 'unscored' as const),
    accessGroups: fc.subarray(['account-admins', 'account-eng', EXTERN_GROUP]),
  },
  { requiredKeys: [] },
);

/** A formula of depth at most `maxDepth` whose group references are drawn from `groups`. */
export function formulaArb(groups: readonly string[], maxDepth = 5): fc.Arbitrary<Formula> {
  const leaves: fc.Arbitrary<Formula>[] = [
    fc.constantFrom(...ATOMS),
    fc.constantFrom(ATOMS[0] as Formula, h.T, h.F),
  ];
  if (groups.length > 0) leaves.push(fc.constantFrom(...groups).map(h.group));
  const leaf = fc.oneof(...leaves);
  const { f } = fc.letrec<{ f: Formula }>((tie) => ({
    f: fc.oneof(
      { maxDepth, depthIdentifier: 'formula', withCrossShrink: true },
      leaf,
      tie('f').map(h.not),
      fc.array(tie('f'), { minLength: 1, maxLength: 4 }).map((args) => h.and(...args)),
      fc.array(tie('f'), { minLength: 1, maxLength: 4 }).map((args) => h.or(...args)),
    ),
  }));
  return f;
}

const DECISIONS: Decision[] = ['allow', 'deny', 'bypass', 'non_identity'];

/**
 * A project: code groups g0..g2 (gi may use gj for j < i and the extern group), 1–4 policies with mixed
 * decisions over all of them, and two apps with distinct precedences.
 */
export const projectArb: fc.Arbitrary<Project> = fc
  .record({
    g0: formulaArb([EXTERN_GROUP], 4),
    g1: formulaArb(['g0', EXTERN_GROUP], 4),
    g2: formulaArb(['g0', 'g1'], 4),
    policies: fc.array(
      fc.record({
        formula: formulaArb([...CODE_GROUPS, EXTERN_GROUP]),
        decision: fc.constantFrom(...DECISIONS),
      }),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    precedences: fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 4, maxLength: 4 }),
  })
  .map(({ g0, g1, g2, policies, precedences }) =>
    h.project({
      groups: { g0, g1, g2, [EXTERN_GROUP]: undefined },
      policies: policies.map((p, i) => ({ name: `P${i}`, decision: p.decision, formula: p.formula })),
      apps: [
        { name: 'All', policies: policies.map((_, i) => [`P${i}`, precedences[i] as number]) },
        { name: 'First', policies: [['P0', 1]] },
      ],
    }),
  );
