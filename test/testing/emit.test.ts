import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { lintProject } from '../../src/lint/run.js';
import { analyzeSources } from '../../src/pipeline.js';
import { renderWitnessTest } from '../../src/testing/emit.js';
import { emitLintTests } from '../../src/testing/emit-lint.js';
import { parseTestFile } from '../../src/testing/parse.js';
import { ADMIN, prepare, runSuite } from './helpers.js';

const SHADOWED = `app "Intranet" {
  domain "intranet.example.com"
  allow "Staff" if email_domain("example.com")
  deny "Former contractor" if email("contractor@example.com")
}
`;
// The fix the finding asks for: the deny first.
const FIXED = `app "Intranet" {
  domain "intranet.example.com"
  deny "Former contractor" if email("contractor@example.com")
  allow "Staff" if email_domain("example.com")
}
`;

function lint(text: string) {
  const files = [new SourceFile('p.acl', text)];
  const analyzed = analyzeSources(files);
  const result = lintProject(
    {
      files,
      asts: analyzed.asts,
      project: analyzed.project,
      diagnostics: analyzed.diagnostics,
      only: new Set(['p.acl']),
    },
    {},
  );
  return { files, diagnostics: result.diagnostics };
}

describe('lint --emit-tests', () => {
  it('an emitted test passes before the fix and fails after it', () => {
    const { files, diagnostics } = lint(SHADOWED);
    expect(diagnostics.map((d) => d.code)).toContain('shadowed-policy');
    const text = emitLintTests(files, diagnostics);
    expect(text).toContain('# shadowed-policy at p.acl:4:');
    expect(text).toContain('identity {\n    email "contractor@example.com"\n  }');
    expect(text).toContain('expect app "Intranet" allow by "Staff"');
    const before = runSuite(SHADOWED, text).results;
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((r) => r.status === 'pass')).toBe(true);
    const after = runSuite(FIXED, text).results;
    const shadowTest = after.find((r) => r.name.startsWith('shadowed-policy'));
    expect(shadowTest?.status).toBe('fail');
    expect(shadowTest?.failures[0]?.actual).toBe('deny by "Former contractor"');
  });

  it('emits nothing when no finding has a witness', () => {
    const { files, diagnostics } = lint(FIXED);
    expect(
      emitLintTests(
        files,
        diagnostics.filter((d) => !d.witness),
      ),
    ).toBe('');
  });
});

describe('renderWitnessTest', () => {
  it('writes every attribute kind so that it parses back to the same identity', () => {
    const prepared = prepare(ADMIN);
    const identity = {
      email: 'a@b.com',
      country: 'DE',
      ip: '10.0.0.1',
      loginMethod: 'Okta (corporate)',
      idpGroups: ['engineering', 'ops'],
      githubTeams: ['acme/platform'],
      samlAttributes: { dept: ['eng'] },
      oidcClaims: { role: ['admin', 'dev'] },
      authContexts: ['c1'],
      authMethods: ['mfa', 'hwk'],
      certificate: true,
      commonName: 'runner',
      serviceToken: 'tok',
      devicePosture: ['WARP'],
      riskScore: 'low' as const,
      accessGroups: ['Employees'],
      emailLists: ['L'],
      ipLists: ['I'],
      externalEvaluations: ['https://e.example.com'],
      linkedAppToken: 'uid',
      accountMember: true,
    };
    const text = renderWitnessTest(
      { name: 'all', identity, expects: [{ app: 'Admin', outcome: 'none' }] },
      prepared.project,
    );
    expect(text).toContain('    idp okta\n');
    const parsed = parseTestFile(new SourceFile('t.acltest', text));
    expect(parsed.diagnostics).toEqual([]);
    const { results } = runSuite(ADMIN, text);
    expect(results[0]?.errors).toEqual([]);
    // The identity the runner built from the text is the one written.
    const { results: again } = runSuite(ADMIN, text.replace('no-match', 'bypass'));
    expect(again[0]?.failures[0]?.identity).toEqual({
      ...identity,
      samlAttributes: { dept: ['eng'] },
      oidcClaims: { role: ['admin', 'dev'] },
    });
  });
});
