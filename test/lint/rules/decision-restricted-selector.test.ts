import { decisionRestrictedSelector } from '../../../src/lint/rules/decision-restricted-selector.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(decisionRestrictedSelector, {
  valid: ['policy "Link" service_auth if linked_app_token("Partner portal")'],
  invalid: [
    {
      code: 'policy "Link" allow if linked_app_token("Partner portal")',
      errors: [
        {
          message: '`linked_app_token` cannot be used in a policy with decision `allow`',
          line: 1,
          column: 24,
          endLine: 1,
          endColumn: 40,
          help: 'the API accepts it only with `service_auth` or `bypass` policies',
        },
      ],
    },
  ],
});
