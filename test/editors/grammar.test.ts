import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { SELECTORS } from '../../src/selectors/table.js';

const root = join(import.meta.dirname, '..', '..');
const grammarPath = join(root, 'editors', 'vscode', 'syntaxes', 'acl.tmLanguage.json');
const fixture = readFileSync(join(import.meta.dirname, 'fixtures', 'all-tokens.acl'), 'utf8');

interface Token {
  line: number;
  text: string;
  scopes: string[];
}

let grammar: textmate.IGrammar;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.acl'
        ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  grammar = (await registry.loadGrammar('source.acl')) as textmate.IGrammar;
});

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let stack = textmate.INITIAL;
  text.split('\n').forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      const piece = line.slice(t.startIndex, t.endIndex);
      if (piece.trim() !== '') out.push({ line: i + 1, text: piece, scopes: t.scopes });
    }
    stack = r.ruleStack;
  });
  return out;
}

/** The scopes of the first token with this text on the line that contains `where`. */
function scopesOf(tokens: Token[], where: string, text: string): string[] {
  const line = fixture.split('\n').findIndex((l) => l.includes(where)) + 1;
  const token = tokens.find((t) => t.line === line && t.text === text);
  if (!token)
    throw new Error(
      `no token \`${text}\` on the line with \`${where}\`: ${JSON.stringify(tokens.filter((t) => t.line === line).map((t) => t.text))}`,
    );
  return token.scopes;
}

describe('the TextMate grammar', () => {
  it('gives every token kind its scope', () => {
    const tokens = tokenize(fixture);
    const cases: [where: string, text: string, scope: string][] = [
      ['# Every token', '#', 'punctuation.definition.comment.acl'],
      [
        '# Every token',
        ' Every token kind of the language, for the TextMate grammar test.',
        'comment.line.number-sign.acl',
      ],
      ['// a double', '//', 'punctuation.definition.comment.acl'],
      ['// a double', ' a double-slash comment', 'comment.line.double-slash.acl'],
      ['idp okta', 'idp', 'storage.type.idp.acl'],
      ['idp okta', 'okta', 'entity.name.variable.idp.acl'],
      ['idp okta', ':', 'punctuation.separator.type.acl'],
      ['idp okta', '=', 'keyword.operator.assignment.acl'],
      ['idp github', 'id', 'support.function.id.acl'],
      ['idp github', '5f3a8c2e-2b1d-4e6a-9f7c-1d2e3f4a5b6c', 'string.quoted.double.acl'],
      ['group "Engineers"', 'group', 'storage.type.group.acl'],
      ['group "Engineers"', '"Engineers"', 'entity.name.type.group.acl'],
      ['group "Engineers"', 'okta_group', 'support.function.selector.acl'],
      ['group "Engineers"', '(', 'punctuation.section.parens.begin.acl'],
      ['group "Engineers"', ')', 'punctuation.section.parens.end.acl'],
      ['group "Engineers"', 'okta', 'variable.other.acl'],
      ['group "Engineers"', ',', 'punctuation.separator.comma.acl'],
      ['group "Engineers"', 'or', 'keyword.operator.logical.acl'],
      ['extern group', 'extern', 'storage.modifier.extern.acl'],
      ['group "Sanctioned" =', 'in', 'keyword.operator.in.acl'],
      ['group "Wiki editors"', '"Wiki editors"', 'entity.name.type.group.acl'],
      ['group "Wiki editors"', 'in', 'keyword.operator.in.acl'],
      ['group "Wiki editors"', 'zone', 'storage.modifier.zone.acl'],
      ['group "Wiki editors"', 'example.com', 'string.quoted.double.acl'],
      ['group "Sanctioned" =', 'not', 'keyword.operator.logical.acl'],
      ['group "Sanctioned" =', 'certificate', 'support.function.selector.acl'],
      ['policy "Block', 'policy', 'storage.type.policy.acl'],
      ['policy "Block', '"Block sanctioned"', 'entity.name.function.policy.acl'],
      ['policy "Block', 'deny', 'keyword.other.decision.acl'],
      ['policy "Block', 'if', 'keyword.control.conditional.acl'],
      ['policy "Block', 'group', 'support.function.selector.acl'],
      ['policy "Block', '{', 'punctuation.section.block.begin.acl'],
      ['  session_duration 12h', 'session_duration', 'variable.other.property.acl'],
      ['  session_duration 12h', '12h', 'constant.numeric.duration.acl'],
      ['mfa { allowed', 'mfa', 'variable.other.property.acl'],
      ['mfa { allowed', 'allowed_authenticators', 'variable.other.property.acl'],
      ['mfa { allowed', '[', 'punctuation.section.brackets.begin.acl'],
      ['mfa { allowed', ']', 'punctuation.section.brackets.end.acl'],
      ['mfa { allowed', '}', 'punctuation.section.block.end.acl'],
      ['app "Admin', 'app', 'storage.type.app.acl'],
      ['app "Admin', '"Admin console"', 'entity.name.namespace.app.acl'],
      ['app_launcher_visible', 'true', 'constant.language.boolean.acl'],
      ['same_site_cookie_attribute', 'lax', 'variable.other.acl'],
      ['use "Block', 'use', 'keyword.other.use.acl'],
      ['use "Block', '"Block sanctioned"', 'variable.other.policy.acl'],
      ['use "Block', 'precedence', 'keyword.other.precedence.acl'],
      ['use "Block', '1', 'constant.numeric.integer.acl'],
      ['use extern "Dashboard', 'use', 'keyword.other.use.acl'],
      ['use extern "Dashboard', 'extern', 'storage.modifier.extern.acl'],
      ['use extern "Dashboard', '"Dashboard policy"', 'variable.other.policy.acl'],
      ['use extern id', 'extern', 'storage.modifier.extern.acl'],
      ['use extern id', 'id', 'support.function.id.acl'],
      ['max_age -1', 'max_age', 'variable.other.property.acl'],
      ['max_age -1', '-1', 'constant.numeric.integer.acl'],
      ['aclc-disable-line', 'aclc-disable-line', 'keyword.other.directive.suppression.acl'],
      ['aclc-disable-line', 'open-access', 'constant.other.rule-id.acl'],
      ['aclc-disable-next-line', 'aclc-disable-next-line', 'keyword.other.directive.suppression.acl'],
      ['aclc-disable-next-line', 'redundant-term', 'constant.other.rule-id.acl'],
      ['aclc-disable-next-line', 'unused-group', 'constant.other.rule-id.acl'],
      ['aclc-disable-next-line', '--', 'punctuation.separator.reason.acl'],
      ['aclc-disable-next-line', ' the ops team wants it spelled out', 'comment.line.suppression.acl'],
      ['allow "Engineers"', 'allow', 'keyword.other.decision.acl'],
      ['allow "Engineers"', '"Engineers"', 'entity.name.function.policy.acl'],
      ['allow "Engineers"', 'and', 'keyword.operator.logical.acl'],
      ['approvals_needed', 'approval_groups', 'variable.other.property.acl'],
      ['approvals_needed', 'approvals_needed', 'variable.other.property.acl'],
      ['approvals_needed', '2', 'constant.numeric.integer.acl'],
      ['bypass "Health', 'bypass', 'keyword.other.decision.acl'],
      ['bypass "Health', '\\"', 'constant.character.escape.acl'],
      ['bypass "Health', '\\q', 'invalid.illegal.unknown-escape.acl'],
      ['bypass "Health', 'everyone', 'support.function.selector.acl'],
      ['bypass "Health', ';', 'punctuation.terminator.statement.acl'],
      ['service_auth "CI"', 'service_auth', 'keyword.other.decision.acl'],
      ['service_auth "CI"', 'unknown_selector', 'variable.function.acl'],
    ];
    const failures = cases.flatMap(([where, text, scope]) => {
      const scopes = scopesOf(tokens, where, text);
      return scopes.includes(scope) ? [] : [`\`${text}\` (${where}): ${scopes.join(' ')}, expected ${scope}`];
    });
    expect(failures).toEqual([]);
    // Every token of the fixture is inside the root scope and has at least one more.
    for (const t of tokens) {
      expect(t.scopes[0]).toBe('source.acl');
      expect(t.scopes.length, `\`${t.text}\` on line ${t.line} has no scope`).toBeGreaterThan(1);
    }
  });

  it('knows every selector of the selector table, and no other', () => {
    const raw = JSON.parse(readFileSync(grammarPath, 'utf8'));
    const pattern: string = raw.repository.selectors.patterns[0].match;
    const names = /\(\?:([a-z_|]+)\)/.exec(pattern)?.[1]?.split('|') ?? [];
    expect(names.sort()).toEqual(SELECTORS.map((s) => s.name).sort());
  });

  it('matches the golden token list of the fixture', async () => {
    const lines = tokenize(fixture).map(
      (t) => `${t.line}\t${JSON.stringify(t.text)}\t${t.scopes.slice(1).join(' ')}`,
    );
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot(
      join(import.meta.dirname, 'fixtures', 'all-tokens.tokens.txt'),
    );
  });
});
