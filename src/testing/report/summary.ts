import type { TestResult } from '../run.js';

export interface Summary {
  passed: number;
  failed: number;
  /** Tests that could not run (bad identity, unknown app…), counted among `failed` too. */
  errors: number;
}

export function summarize(results: readonly TestResult[]): Summary {
  let passed = 0;
  let errors = 0;
  for (const r of results) {
    if (r.status === 'pass') passed++;
    else if (r.status === 'error') errors++;
  }
  return { passed, failed: results.length - passed, errors };
}

/** The summary line, printed alone on its line: `N passed, N failed`. */
export function summaryLine(results: readonly TestResult[]): string {
  const s = summarize(results);
  return `${s.passed} passed, ${s.failed} failed`;
}
