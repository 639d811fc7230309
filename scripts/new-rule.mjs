#!/usr/bin/env node
// Creates the stubs of a new lint rule: src/lint/rules/<id>.ts, test/lint/rules/<id>.test.ts, docs/rules/<id>.md,
// and adds it to the registry (src/lint/rules/index.ts) in alphabetical order.
// Usage: node scripts/new-rule.mjs <rule-id> [--category correctness|semantics|traps|hygiene] [--severity error|warning|info]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const category = flag('category', 'hygiene');
const severity = flag('severity', 'warning');
const id = args[0];

function fail(message) {
  process.stderr.write(`new-rule: ${message}\n`);
  process.exit(2);
}
if (!id || !/^[a-z]+(-[a-z]+)*$/.test(id))
  fail('give a kebab-case rule id, e.g. `node scripts/new-rule.mjs no-foo`');
if (!['correctness', 'semantics', 'traps', 'hygiene'].includes(category))
  fail(`unknown category \`${category}\``);
if (!['error', 'warning', 'info'].includes(severity)) fail(`unknown severity \`${severity}\``);

const camel = id.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
const files = {
  rule: join(root, 'src', 'lint', 'rules', `${id}.ts`),
  test: join(root, 'test', 'lint', 'rules', `${id}.test.ts`),
  doc: join(root, 'docs', 'rules', `${id}.md`),
  index: join(root, 'src', 'lint', 'rules', 'index.ts'),
};
for (const path of [files.rule, files.test, files.doc]) if (existsSync(path)) fail(`${path} exists already`);

writeFileSync(
  files.rule,
  `import { defineRule } from '../rule.js';

/** TODO: what the rule finds, in one sentence. */
export const ${camel} = defineRule({
  meta: {
    id: '${id}',
    category: '${category}',
    defaultSeverity: '${severity}',
    summary: 'TODO: what the rule finds, lower case, no final period',
    fixable: false,
  },
  messages: {
    found: 'TODO: \`{name}\` …',
  },
  check(ctx) {
    for (const policy of ctx.project.policies.values()) {
      // TODO: ctx.report({ messageId: 'found', data: { name: policy.displayName }, span: policy.nameSpan, help: '…' });
      void policy;
    }
  },
});
`,
);

writeFileSync(
  files.test,
  `import { ${camel} } from '../../../src/lint/rules/${id}.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(${camel}, {
  valid: ['app "Wiki" {\\n  domain "wiki.example.com"\\n  allow "Staff" if email_domain("example.com")\\n}'],
  invalid: [
    {
      code: 'TODO',
      errors: [{ message: 'TODO', line: 1, column: 1 }],
    },
  ],
});
`,
);

writeFileSync(
  files.doc,
  `# ${id}

## Summary

TODO: what the rule finds.

## Category

${category}

## Default severity

${severity}

## Avoid

\`\`\`acl
TODO
\`\`\`

## Prefer

\`\`\`acl
app "Wiki" {
  domain "wiki.example.com"
  allow "Staff" if email_domain("example.com")
}
\`\`\`

## Rationale

TODO: why it matters, what the finding and its witness show.

## Options

None.
`,
);

// Registry: one import and one entry, both kept in alphabetical order of id.
const index = readFileSync(files.index, 'utf8');
const importLine = `import { ${camel} } from './${id}.js';`;
const imports = index.split('\n').filter((l) => l.startsWith('import { ') && l.includes("from './"));
const after = imports.filter((l) => /from '\.\/([^']+)\.js'/.exec(l)[1] < id).pop();
let updated = after
  ? index.replace(after, `${after}\n${importLine}`)
  : index.replace(imports[0], `${importLine}\n${imports[0]}`);
const entries = [...updated.matchAll(/^ {2}(\w+),$/gm)].map((m) => m[1]);
const idOf = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const previous = entries.filter((e) => idOf(e) < id).pop();
updated = previous
  ? updated.replace(`  ${previous},\n`, `  ${previous},\n  ${camel},\n`)
  : updated.replace(`  ${entries[0]},\n`, `  ${camel},\n  ${entries[0]},\n`);
writeFileSync(files.index, updated);

process.stdout.write(
  `created ${id}:\n  src/lint/rules/${id}.ts\n  test/lint/rules/${id}.test.ts\n  docs/rules/${id}.md\n` +
    `and registered it in src/lint/rules/index.ts. Fill in the TODOs, then run npx vitest run test/lint\n`,
);
