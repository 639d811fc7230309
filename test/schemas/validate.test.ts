import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  readablePath,
  validateApp,
  validateEnvelope,
  validateGroup,
  validatePolicy,
  validateProject,
  validateRule,
} from '../../src/schemas/validate.js';
import { SELECTORS } from '../../src/selectors/table.js';

const ruleSchema = JSON.parse(
  readFileSync(new URL('../../schemas/rule.schema.json', import.meta.url), 'utf8'),
) as {
  propertyNames: { enum: string[] };
  properties: Record<string, { properties: Record<string, unknown>; required?: string[] }>;
};

const policy = (extra: Record<string, unknown> = {}) => ({
  name: 'Engineers',
  decision: 'allow',
  include: [{ email_domain: { domain: 'example.com' } }],
  exclude: [],
  require: [],
  ...extra,
});

const app = (extra: Record<string, unknown> = {}) => ({
  name: 'Wiki',
  type: 'self_hosted',
  domain: 'wiki.example.com',
  policies: [{ id: '$ref:policy:Engineers', precedence: 1 }],
  ...extra,
});

describe('rule schema', () => {
  it('has exactly the wire keys of the selector table, with the table fields', () => {
    expect([...ruleSchema.propertyNames.enum].sort()).toEqual(SELECTORS.map((s) => s.wireKey).sort());
    for (const spec of SELECTORS) {
      const body = ruleSchema.properties[spec.wireKey];
      expect(body, spec.wireKey).toBeDefined();
      for (const param of spec.params) expect(Object.keys(body?.properties ?? {})).toContain(param.field);
      const required = spec.params.filter((p) => !p.optional).map((p) => p.field);
      expect([...(body?.required ?? [])].sort(), spec.wireKey).toEqual(required.sort());
    }
  });

  it('accepts every rule type with placeholders where ids go', () => {
    const rules = [
      { group: { id: '$ref:group:aclc~0123456789ab' } },
      { everyone: {} },
      { any_valid_service_token: {} },
      { certificate: {} },
      { okta: { identity_provider_id: '$ref:idp:okta', name: 'eng' } },
      { 'github-organization': { identity_provider_id: 'f4e5', name: 'acme', team: 'ops' } },
      { user_risk_score: { user_risk_score: ['low', 'medium'] } },
      { geo: { country_code: 'US' } },
      { linked_app_token: { app_uid: '$ref:app:portal' } },
      { cloudflare_account_member: {} },
    ];
    for (const rule of rules) expect(validateRule(rule), JSON.stringify(rule)).toEqual({ valid: true });
  });

  it('rejects an unknown rule key', () => {
    expect(validateRule({ emails: { email: 'a@example.com' } })).toEqual({
      valid: false,
      errors: ['(top level): unknown rule type `emails`'],
    });
  });

  it('rejects the stale `connection_id` field of okta rules', () => {
    expect(validateRule({ okta: { name: 'eng', connection_id: 'abc' } })).toEqual({
      valid: false,
      errors: ['okta: missing field `identity_provider_id`', 'okta: unknown field `connection_id`'],
    });
  });

  it('rejects a rule with two keys and an empty rule', () => {
    expect(validateRule({ everyone: {}, certificate: {} })).toEqual({
      valid: false,
      errors: ['(top level): a rule must have exactly one rule type, found 2'],
    });
    expect(validateRule({})).toEqual({
      valid: false,
      errors: ['(top level): a rule must have exactly one rule type, found 0'],
    });
  });

  it('rejects an unknown risk level and an empty id', () => {
    expect(validateRule({ user_risk_score: { user_risk_score: ['severe'] } })).toEqual({
      valid: false,
      errors: [
        'user_risk_score.user_risk_score[0]: `"severe"` is not one of `low`, `medium`, `high`, `unscored`',
      ],
    });
    expect(validateRule({ email_list: { id: '' } })).toEqual({
      valid: false,
      errors: ['email_list.id: must not be empty'],
    });
  });
});

describe('group schema', () => {
  it('accepts a group and rejects an empty include', () => {
    expect(validateGroup({ name: 'eng', include: [{ everyone: {} }], exclude: [], require: [] })).toEqual({
      valid: true,
    });
    expect(validateGroup({ name: 'eng', include: [], exclude: [], require: [] })).toEqual({
      valid: false,
      errors: ['include: must not be empty'],
    });
  });

  it('rejects a name longer than 350 characters', () => {
    expect(validateGroup({ name: 'x'.repeat(351), include: [{ everyone: {} }] })).toEqual({
      valid: false,
      errors: ['name: is longer than 350 characters'],
    });
  });
});

describe('policy schema', () => {
  it('accepts a policy with settings', () => {
    expect(
      validatePolicy(
        policy({
          session_duration: '2h45m',
          approval_required: true,
          approval_groups: [{ approvals_needed: 1, email_addresses: ['boss@example.com'] }],
          purpose_justification_required: true,
          purpose_justification_prompt: 'why?',
          isolation_required: false,
          mfa_config: { allowed_authenticators: ['totp'], session_duration: '24h' },
        }),
      ),
    ).toEqual({ valid: true });
  });

  it('rejects an empty include', () => {
    expect(validatePolicy(policy({ include: [] }))).toEqual({
      valid: false,
      errors: ['include: must not be empty'],
    });
  });

  it('rejects linked_app_token with an allow decision, and accepts it with non_identity', () => {
    const rules = { include: [{ linked_app_token: { app_uid: '$ref:app:portal' } }] };
    expect(validatePolicy(policy(rules))).toEqual({
      valid: false,
      errors: [
        'decision: `"allow"` cannot be used with a `linked_app_token` rule, only `non_identity`, `bypass`',
      ],
    });
    expect(validatePolicy(policy({ ...rules, decision: 'non_identity' }))).toEqual({ valid: true });
    expect(validatePolicy(policy({ exclude: rules.include, decision: 'bypass' }))).toEqual({ valid: true });
  });

  it('rejects a session_duration that is not a Go duration', () => {
    expect(validatePolicy(policy({ session_duration: '1 day' }))).toEqual({
      valid: false,
      errors: [
        'session_duration: `"1 day"` is not a duration; write a Go duration such as `30m`, `24h` or `2h45m` (units: ns, us, ms, s, m, h)',
      ],
    });
  });

  it('rejects an unknown decision and an unknown setting', () => {
    expect(validatePolicy(policy({ decision: 'block', sesion_duration: '1h' }))).toEqual({
      valid: false,
      errors: [
        '(top level): unknown field `sesion_duration`',
        'decision: `"block"` is not one of `allow`, `deny`, `non_identity`, `bypass`',
      ],
    });
  });

  it('points into nested rules', () => {
    expect(validatePolicy(policy({ require: [{ everyone: {} }, { azureAD: { id: 'g' } }] }))).toEqual({
      valid: false,
      errors: ['require[1].azureAD: missing field `identity_provider_id`'],
    });
  });
});

describe('app schema', () => {
  it('accepts a self-hosted app with settings', () => {
    expect(
      validateApp(
        app({
          session_duration: '24h',
          self_hosted_domains: ['wiki.example.com'],
          destinations: [{ type: 'public', uri: 'wiki.example.com' }],
          allowed_idps: ['$ref:idp:okta'],
          auto_redirect_to_identity: true,
          app_launcher_visible: false,
          cors_headers: { allowed_methods: ['GET'], max_age: 600 },
          tags: ['eng'],
        }),
      ),
    ).toEqual({ valid: true });
  });

  it('rejects a missing domain, a bad session duration and an extra field in a policy link', () => {
    const { domain: _domain, ...noDomain } = app();
    expect(validateApp(noDomain)).toEqual({ valid: false, errors: ['(top level): missing field `domain`'] });
    expect(validateApp(app({ session_duration: '24' }))).toEqual({
      valid: false,
      errors: [
        'session_duration: `"24"` is not a duration; write a Go duration such as `30m`, `24h` or `2h45m` (units: ns, us, ms, s, m, h)',
      ],
    });
    expect(
      validateApp(app({ policies: [{ id: '$ref:policy:x', precedence: 1, decision: 'allow' }] })),
    ).toEqual({
      valid: false,
      errors: ['policies[0]: unknown field `decision`'],
    });
  });

  it('rejects a destination of the wrong shape', () => {
    expect(validateApp(app({ destinations: [{ type: 'public' }] }))).toEqual({
      valid: false,
      errors: ['destinations[0]: `{"type":"public"}` does not match any allowed form'],
    });
  });
});

describe('project schema', () => {
  it('accepts a compiled document and rejects an extra top-level key', () => {
    const doc = { groups: [], policies: [policy()], apps: [app()] };
    expect(validateProject(doc)).toEqual({ valid: true });
    expect(validateProject({ ...doc, version: 1 })).toEqual({
      valid: false,
      errors: ['(top level): unknown field `version`'],
    });
  });

  it('reports nested problems with their path', () => {
    const doc = {
      groups: [
        { name: 'g', include: [{ okta: { name: 'eng', connection_id: 'x', identity_provider_id: 'i' } }] },
      ],
      policies: [policy({ include: [] })],
      apps: [],
    };
    expect(validateProject(doc)).toEqual({
      valid: false,
      errors: [
        'groups[0].include[0].okta: unknown field `connection_id`',
        'policies[0].include: must not be empty',
      ],
    });
  });
});

describe('envelope schema', () => {
  it('accepts success and failure envelopes', () => {
    expect(
      validateEnvelope({
        success: true,
        errors: [],
        messages: [],
        result: [{ id: 'x' }],
        result_info: { count: 1, page: 1, per_page: 100, total_count: 1, total_pages: 1 },
      }),
    ).toEqual({ valid: true });
    expect(
      validateEnvelope({
        success: false,
        errors: [{ code: 10000, message: 'Authentication error' }],
        messages: [],
        result: null,
      }),
    ).toEqual({ valid: true });
  });

  it('rejects an envelope without errors and an error without a code', () => {
    expect(validateEnvelope({ success: true, messages: [] })).toEqual({
      valid: false,
      errors: ['(top level): missing field `errors`'],
    });
    expect(validateEnvelope({ success: false, errors: [{ message: 'x' }], messages: [] })).toEqual({
      valid: false,
      errors: ['errors[0]: missing field `code`'],
    });
  });
});

describe('readablePath', () => {
  it('renders JSON pointers as paths', () => {
    expect(readablePath('')).toBe('(top level)');
    expect(readablePath('/groups/0/include/12/github-organization')).toBe(
      'groups[0].include[12].github-organization',
    );
    expect(readablePath('/a~1b/c~0d')).toBe('a/b.c~d');
  });
});
