import { createRequire } from 'node:module';
import type AjvDraft04Module from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../../src/cli/render/sarif.js';
import { SourceFile } from '../../../src/diagnostics/source.js';
import { RULES } from '../../../src/lint/rules/index.js';
import { lintProject } from '../../../src/lint/run.js';
import { analyzeSources } from '../../../src/pipeline.js';

// The official SARIF 2.1.0 JSON Schema (OASIS), as shipped by Microsoft's SARIF package; draft-04, hence ajv-draft-04.
const require = createRequire(import.meta.url);
const sarifSchema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// ajv-draft-04 is CommonJS; loaded with require, its class is the `default` export.
const Ajv: typeof AjvDraft04Module.default = require('ajv-draft-04').default;
const validate = new Ajv({
  allErrors: true,
  strict: false,
  validateFormats: false,
  unicodeRegExp: false,
}).compile(sarifSchema);

const source = `idp okta: okta = "Okta"
group "Engineers" = okta_group(okta, "eng")

app "Wiki" {
  domain "wiki.example.com"
  allow "Staff" if group("Engineers")
  deny "Block KP" if country("KP")
  allow "Everyone gmail" if email_domain("gmail.com", "gmail.com")
  bypass "Health" if ip("10.0.0.1")
}
`;

describe('SARIF output', () => {
  it('validates against the official SARIF 2.1.0 schema, for real lint findings with witnesses and fixes', () => {
    const file = new SourceFile('policies/wiki.acl', source);
    const analyzed = analyzeSources([file]);
    const lint = lintProject(
      {
        files: analyzed.files,
        asts: analyzed.asts,
        project: analyzed.project,
        diagnostics: analyzed.diagnostics,
      },
      {},
    );
    const findings = lint.diagnostics;
    expect(findings.map((d) => d.code)).toEqual(
      expect.arrayContaining([
        'conflicting-policies',
        'order-misleading',
        'public-email-domain',
        'duplicate-value',
      ]),
    );
    expect(findings.some((d) => d.witness)).toBe(true);
    expect(findings.some((d) => d.fix)).toBe(true);

    const log = JSON.parse(
      renderSarif(findings, new Map([[file.path, file]]), {
        toolVersion: '0.1.0',
        rules: RULES.map((r) => r.meta),
      }),
    );
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a log the schema forbids (the validator is live)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });
});
