import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/diagnostics/catalog.js';
import { RULES, ruleById } from '../../src/lint/rules/index.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8'));

describe('rule registry', () => {
  const ids = RULES.map((r) => r.meta.id);

  it('has unique kebab-case ids, in alphabetical order', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('shares no id with the compiler catalog, and every covered code is in it and covered once', () => {
    for (const id of ids) expect(Object.hasOwn(CATALOG, id)).toBe(false);
    const covered = RULES.flatMap((r) => r.meta.covers ?? []);
    expect(new Set(covered).size).toBe(covered.length);
    for (const code of covered) expect(Object.hasOwn(CATALOG, code), code).toBe(true);
  });

  it('keeps compiler rules at error level and in the correctness category', () => {
    for (const rule of RULES.filter((r) => r.meta.covers)) {
      expect(rule.meta.defaultSeverity).toBe('error');
      expect(rule.meta.category).toBe('correctness');
    }
  });

  it('gives each rule a one-line summary in the message voice', () => {
    for (const rule of RULES) {
      expect(rule.meta.summary).toMatch(/^[a-z`]/);
      expect(rule.meta.summary).not.toMatch(/\.$/);
      for (const template of Object.values(rule.messages)) expect(template).not.toMatch(/\.$/);
    }
  });

  it('finds rules by id', () => {
    expect(ruleById('shadowed-policy')?.meta.category).toBe('semantics');
    expect(ruleById('nope')).toBeUndefined();
  });

  it('copies every rule option schema into schemas/config.schema.json', () => {
    const inSchema = schema.properties.rules.properties as Record<
      string,
      { anyOf: { prefixItems?: unknown[] }[] }
    >;
    const withOptions = RULES.filter((r) => r.meta.options).map((r) => r.meta.id);
    expect(Object.keys(inSchema).sort()).toEqual(withOptions.sort());
    for (const id of withOptions) {
      const options = inSchema[id]?.anyOf[1]?.prefixItems?.[1];
      expect(options, id).toEqual(ruleById(id)?.meta.options);
    }
  });
});
