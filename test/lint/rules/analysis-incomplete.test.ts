import { analysisIncomplete } from '../../../src/lint/rules/analysis-incomplete.js';
import { runRuleTests } from '../rule-tester.js';

const many = Array.from(
  { length: 40 },
  (_, i) => `email("u${i}@example.com") and country("US") or ip("10.${i}.0.0/16")`,
);

runRuleTests(
  analysisIncomplete,
  {
    valid: ['app "A" {\n  domain "a.example.com"\n  allow "Staff" if email_domain("example.com")\n}'],
    invalid: [
      {
        name: 'one finding however many checks gave up',
        code: `policy "Big" allow if (${many.join(') or (')})\npolicy "Big 2" allow if not (${many.join(') or (')})`,
        errors: [
          {
            // Each policy's satisfiability, its comparison with the other and its terms, and the include check of
            // `Big 2` (it only excludes): seven checks, all counted.
            message: 'analysis gave up on its budget for the comparison of policy `Big` and 6 more check(s)',
            line: 1,
            column: 8,
            help: 'split large apps or groups; the findings reported are still exact, but some checks were skipped',
          },
        ],
      },
    ],
  },
  { budget: { nodes: 1024, steps: 1024 } },
);
