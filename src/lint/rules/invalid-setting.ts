import { compilerRule } from '../compiler-rule.js';

/** App and policy settings that are unknown, repeated, out of range or inconsistent. */
export const invalidSetting = compilerRule({
  id: 'invalid-setting',
  summary: 'an app or policy setting that is unknown, repeated, out of range or inconsistent',
  covers: [
    'ACL0501',
    'ACL0502',
    'ACL0503',
    'ACL0504',
    'ACL0505',
    'ACL0506',
    'ACL0507',
    'ACL0508',
    'ACL0509',
    'ACL0510',
    'ACL0620',
    'ACL0621',
    'ACL0622',
    'ACL0683',
  ],
});
