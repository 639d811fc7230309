import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { redundantTerm } from '../../src/lint/rules/redundant-term.js';
import { lintProject } from '../../src/lint/run.js';
import { analyzeSources } from '../../src/pipeline.js';

// redundant-term checks a condition once per key and replays its findings on conditions with the same key, tokens
// and addresses named nowhere else written by their place in the condition. The differential property: every
// policy gets the findings it gets when it is linted alone.

const DECLARATIONS = [
  'group "G" = email("u1@a.com") or service_token("t1")',
  'list "L" = email("u2@a.com")',
  'group "H" = email_list("L") and country("US")',
];

/** A condition template: `X` and `Z` are addresses, `Y` a service token. */
type Template = string;

const leaf: fc.Arbitrary<Template> = fc.oneof(
  { arbitrary: fc.constantFrom('email(X)', 'email(Z)', 'service_token(Y)'), weight: 3 },
  {
    arbitrary: fc.constantFrom('group("G")', 'group("H")', 'email_list("L")', 'email_domain("a.com")'),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(
      'email("u3@a.com")',
      'email_domain("b.com")',
      'any_service_token',
      'country("US")',
      'service_token("t2")',
    ),
    weight: 1,
  },
);

const template: fc.Arbitrary<Template> = fc.letrec<{ e: Template }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(fc.constantFrom('and', 'or'), fc.array(tie('e'), { minLength: 2, maxLength: 3 }))
      .map(([op, args]) => `(${args.join(` ${op} `)})`),
    tie('e').map((e) => `not ${e}`),
  ),
})).e;

// Addresses and tokens named by `G`, `L` and `H`, by a template, or nowhere, in two domains.
const address = fc.constantFrom(
  '"u1@a.com"',
  '"u2@a.com"',
  '"u3@a.com"',
  '"u4@a.com"',
  '"v1@b.com"',
  '"v2@b.com"',
);
const instance = fc.record({ X: address, Y: fc.constantFrom('"t1"', '"t2"', '"t3"', '"t4"'), Z: address });

const project = fc
  .tuple(
    fc.array(template, { minLength: 1, maxLength: 3 }),
    fc.array(instance, { minLength: 2, maxLength: 6 }),
  )
  .map(([templates, values]) =>
    values.map((v, i) =>
      (templates[i % templates.length] as Template).replace(/[XYZ]/g, (slot) => v[slot as 'X' | 'Y' | 'Z']),
    ),
  );

/** The redundant-term findings of each policy `P<i>`: column and message, the witness's description left out. */
function findings(conditions: readonly string[]): Map<string, string[]> {
  const text = [...DECLARATIONS, ...conditions.map((c, i) => `policy "P${i}" allow if ${c}`)].join('\n');
  const analyzed = analyzeSources([new SourceFile('p.acl', text)]);
  const result = lintProject(
    {
      files: analyzed.files,
      asts: analyzed.asts,
      project: analyzed.project,
      diagnostics: analyzed.diagnostics,
    },
    {},
    { rules: [redundantTerm] },
  );
  const file = analyzed.files[0] as SourceFile;
  const byPolicy = new Map<string, string[]>();
  for (const d of result.diagnostics) {
    if (d.code !== 'redundant-term') continue;
    const owner = /in policy `(P\d+)`/.exec(d.message)?.[1] ?? '?';
    const column = file.position(d.span.start).column;
    const list = byPolicy.get(owner) ?? [];
    list.push(`${column} ${d.message.replace(/ \(e\.g\. .*\)$/, '')}`);
    byPolicy.set(owner, list);
  }
  return byPolicy;
}

describe('redundant-term: conditions that share a key', () => {
  it('gets every policy the findings it gets alone', () => {
    let compared = 0;
    fc.assert(
      fc.property(project, (conditions) => {
        const together = findings(conditions);
        conditions.forEach((condition, i) => {
          // Alone, the policy is P0; renamed, its findings must read the same.
          const alone = (findings([condition]).get('P0') ?? []).map((m) => m.replace('`P0`', `\`P${i}\``));
          expect(together.get(`P${i}`) ?? []).toEqual(alone);
          compared += alone.length;
        });
      }),
      { numRuns: 200 },
    );
    // Not vacuous: 322–472 findings compared over 15 seeds.
    expect(compared).toBeGreaterThan(100);
  });
});
