import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LintConfig } from '../../src/lint/config.js';
import { RULES } from '../../src/lint/rules/index.js';
import type { LintOptions } from '../../src/lint/run.js';
import { lintCase } from './rule-tester.js';

const DOCS = new URL('../../docs/rules/', import.meta.url);
const HEADINGS = ['Summary', 'Category', 'Default severity', 'Avoid', 'Prefer', 'Rationale', 'Options'];
/** Knobs the doc examples of some rules need beyond a configuration file. */
const RUN_OPTIONS: Record<string, LintOptions> = {
  'analysis-incomplete': { budget: { nodes: 1024, steps: 1024 } },
};

interface Section {
  text: string;
  examples: { code: string; config: LintConfig }[];
}

/** `## Heading` → section text, with its ```acl blocks (each with the ```json config given before it). */
function sections(markdown: string): Map<string, Section> {
  const out = new Map<string, Section>();
  const parts = markdown.split(/^## /m).slice(1);
  for (const part of parts) {
    const [heading = '', ...rest] = part.split('\n');
    const text = rest.join('\n').trim();
    const examples: Section['examples'] = [];
    let config: LintConfig = {};
    for (const m of text.matchAll(/```(acl|json)\n([\s\S]*?)\n```/g)) {
      if (m[1] === 'json') config = JSON.parse(m[2] as string) as LintConfig;
      else examples.push({ code: `${m[2]}\n`, config });
    }
    out.set(heading.trim(), { text, examples });
  }
  return out;
}

describe('rule docs', () => {
  it('exist only for registered rules', () => {
    const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
    expect(pages.sort()).toEqual(RULES.map((r) => `${r.meta.id}.md`).sort());
  });

  for (const rule of RULES) {
    const id = rule.meta.id;
    describe(id, () => {
      const url = new URL(`${id}.md`, DOCS);
      const markdown = existsSync(url) ? readFileSync(url, 'utf8') : '';
      const s = sections(markdown);

      it('has the fixed sections, in order, agreeing with the rule metadata', () => {
        expect(markdown.split('\n')[0]).toBe(`# ${id}`);
        expect([...s.keys()]).toEqual(HEADINGS);
        const summary = rule.meta.summary;
        expect(s.get('Summary')?.text).toBe(`${summary.charAt(0).toUpperCase()}${summary.slice(1)}.`);
        expect(s.get('Category')?.text).toBe(rule.meta.category);
        expect(s.get('Default severity')?.text).toBe(rule.meta.defaultSeverity);
        for (const option of Object.keys((rule.meta.options?.properties as object | undefined) ?? {})) {
          expect(s.get('Options')?.text).toContain(`\`${option}\``);
        }
      });

      it('has Avoid examples that raise the rule', () => {
        const examples = s.get('Avoid')?.examples ?? [];
        expect(examples.length).toBeGreaterThan(0);
        for (const { code, config } of examples) {
          const { diagnostics, all } = lintCase(id, code, config, RUN_OPTIONS[id]);
          expect(diagnostics.length, code).toBeGreaterThan(0);
          if (!rule.meta.covers) expect(all.filter((d) => d.code.startsWith('ACL'))).toEqual([]);
        }
      });

      it('has Prefer examples that are clean', () => {
        const examples = s.get('Prefer')?.examples ?? [];
        expect(examples.length).toBeGreaterThan(0);
        for (const { code, config } of examples) {
          const { all } = lintCase(id, code, config, RUN_OPTIONS[id]);
          expect(
            all.map((d) => `${d.code}: ${d.message}`),
            code,
          ).toEqual([]);
        }
      });
    });
  }
});
