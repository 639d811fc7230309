import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { didYouMean } from '../../diagnostics/suggest.js';
import { explainName, knownNames, listAll } from '../../rule-docs/index.js';
import type { Io } from '../context.js';
import { EXIT } from '../exit-codes.js';

/** The package's `docs/rules/` folder (shipped with the package), found upwards from this module. */
function rulesDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'docs', 'rules');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

function rulePage(id: string): string | undefined {
  const dir = rulesDir();
  if (!dir || !/^[a-z0-9-]+$/.test(id)) return undefined;
  try {
    return readFileSync(join(dir, `${id}.md`), 'utf8');
  } catch {
    return undefined;
  }
}

/** `aclc rule <code|rule>` prints its documentation; `--all` lists every rule and code. Exit 2 for an unknown name. */
export function runRule(name: string | undefined, options: { all?: boolean }, io: Io): number {
  if (options.all) {
    io.out(listAll());
    return EXIT.ok;
  }
  if (name === undefined) {
    io.err(
      'error: name a rule or a code, e.g. `aclc rule ACL0302` or `aclc rule shadowed-policy`, or pass --all\n',
    );
    return EXIT.usage;
  }
  const text = explainName(name, rulePage);
  if (text === undefined) {
    io.err(
      `error: unknown rule or code \`${name}\`\n${didYouMean(name, knownNames(), 'run `aclc rule --all` for the list')}\n`,
    );
    return EXIT.usage;
  }
  io.out(text);
  return EXIT.ok;
}
