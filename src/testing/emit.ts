import { quoteString } from '../lexer/strings.js';
import type { Identity } from '../model/identity.js';
import type { Project } from '../model/project.js';
import { identityAttributes } from './identity.js';
import type { Outcome } from './model.js';

/** An example test to write out: an identity and what Access decides for it per app. */
export interface WitnessTest {
  name: string;
  identity: Identity;
  expects: { app: string; outcome: Outcome; policy?: string }[];
  /** Comment lines written above the test (without `#`). */
  comment?: string[];
}

/** The word a test file uses for an outcome. */
export function outcomeWord(outcome: Outcome): string {
  if (outcome === 'none') return 'no-match';
  if (outcome === 'non_identity') return 'service_auth';
  return outcome;
}

const bare = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** An identity block's lines (without the braces), one attribute per line. */
export function identityLines(identity: Identity, project?: Project): string[] {
  return identityAttributes(identity, project).map(({ key, values }) => {
    if (values.length === 0) return key;
    const printed = values.map((v) =>
      key === 'idp' && bare.test(v) && project?.idps.has(v) ? v : quoteString(v),
    );
    return `${key} ${printed.join(', ')}`;
  });
}

/**
 * A ready-to-paste `.acltest` example for a witness identity (pure: text out). `aclc lint --emit-tests`, coverage
 * witnesses and editor code actions all print through this one function; the policy name given is the one the
 * source writes (for an inline policy, its own name).
 */
export function renderWitnessTest(test: WitnessTest, project?: Project): string {
  const lines: string[] = [];
  for (const c of test.comment ?? []) lines.push(c === '' ? '#' : `# ${c}`);
  lines.push(`test ${quoteString(test.name)} {`);
  const ids = identityLines(test.identity, project);
  if (ids.length === 0) lines.push('  identity {}');
  else {
    lines.push('  identity {');
    for (const l of ids) lines.push(`    ${l}`);
    lines.push('  }');
  }
  for (const e of test.expects) {
    const by = e.policy !== undefined && e.outcome !== 'none' ? ` by ${quoteString(e.policy)}` : '';
    lines.push(`  expect app ${quoteString(e.app)} ${outcomeWord(e.outcome)}${by}`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
