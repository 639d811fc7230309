import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { SuiteRunner } from '../../src/testing/run.js';
import { ChangeTracker } from '../../src/testing/watch.js';
import { ADMIN, prepare } from './helpers.js';

const TESTS = `test "admin" { identity { country "KP" } expect app "Admin" deny }
test "wiki" { identity { email "a@example.com" } expect app "Wiki" allow }
never allow country("FR") on app "Wiki"
no app is open to everyone
`;

describe('--watch reruns what a change affects', () => {
  it('selects the tests of apps whose compiled form changed, and of changed test files', () => {
    const tracker = new ChangeTracker();
    const tests = [new SourceFile('t.acltest', TESTS)];
    const first = prepare(ADMIN);
    expect(tracker.select('/p', tests, first.model)).toBeUndefined();
    tracker.prime();
    // Nothing changed: nothing selected.
    expect(tracker.select('/p', tests, prepare(ADMIN).model)).toEqual({ files: new Set(), apps: new Set() });
    // A change to the Wiki's policy selects the Wiki only; a change to a shared group selects every app using it.
    const wiki = prepare(ADMIN.replace('not country("FR")', 'not country("DE")'));
    const only = tracker.select('/p', tests, wiki.model);
    expect(only).toEqual({ files: new Set(), apps: new Set(['Wiki']) });
    const run = new SuiteRunner({
      ...wiki,
      files: [
        {
          file: tests[0] as SourceFile,
          ast: wiki.files[0]?.ast ?? (prepare(ADMIN, TESTS).files[0]?.ast as never),
        },
      ],
      onlyApps: only?.apps ?? new Set(),
      onlyFiles: only?.files ?? new Set(),
    }).run();
    expect(run.results.map((r) => r.name)).toEqual([
      'wiki',
      'never allow country("FR") on app "Wiki"',
      'no app is open to everyone',
    ]);
    const group = prepare(
      ADMIN.replace('email_domain("eng.example.com")', 'email_domain("eng.example.org")'),
    );
    expect(tracker.select('/p', tests, group.model)?.apps).toEqual(new Set(['Admin', 'Wiki']));
    // An edited test file is selected whatever the apps.
    expect(tracker.select('/p', [new SourceFile('t.acltest', `${TESTS}\n`)], group.model)).toEqual({
      files: new Set(['t.acltest']),
      apps: new Set(),
    });
  });
});
