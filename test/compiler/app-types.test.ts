import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { WireApp } from '../../src/model/compiled.js';
import { analyzeSources } from '../../src/pipeline.js';
import { validateApp } from '../../src/schemas/validate.js';

/** Compiles one app written in `.acl` and returns its request body (no diagnostics expected). */
function compileApp(body: string, extra = ''): WireApp {
  const text = `idp okta: okta = "Okta"\npolicy "Everyone" allow if everyone()\n${extra}\napp "A" {\n${body}\n}\n`;
  const analyzed = analyzeSources([new SourceFile('a.acl', text)]);
  expect(analyzed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const compiled = compileProject(analyzed.project);
  expect(compiled.diagnostics).toEqual([]);
  return compiled.value.document.apps[0] as WireApp;
}

function codes(body: string): string[] {
  const text = `policy "Everyone" allow if everyone()\napp "A" {\n${body}\n}\n`;
  const analyzed = analyzeSources([new SourceFile('a.acl', text)]);
  const all = [...analyzed.diagnostics];
  if (!all.some((d) => d.severity === 'error')) all.push(...compileProject(analyzed.project).diagnostics);
  return all.map((d) => d.code).sort();
}

describe('app types: the request body of each type, checked against the API schema', () => {
  it('saas (SAML)', () => {
    const app = compileApp(`type saas
allowed_idps [okta]
saas_app {
  sp_entity_id "https://x.example.com"
  consumer_service_url "https://x.example.com/acs"
  name_id_format email
}
use "Everyone"`);
    expect(app).toEqual({
      name: 'A',
      type: 'saas',
      allowed_idps: ['$ref:idp:Okta'],
      saas_app: {
        auth_type: 'saml',
        consumer_service_url: 'https://x.example.com/acs',
        name_id_format: 'email',
        sp_entity_id: 'https://x.example.com',
      },
      policies: [{ id: '$ref:policy:Everyone', precedence: 1 }],
    });
    expect(validateApp(app)).toEqual({ valid: true });
  });

  it('saas (OIDC)', () => {
    const app = compileApp(`type saas
saas_app {
  auth_type oidc
  redirect_uris ["https://x.example.com/cb"]
  grant_types [authorization_code]
  scopes [openid, email]
  access_token_lifetime 5m
  allow_pkce_without_client_secret false
}`);
    expect(app.saas_app).toEqual({
      access_token_lifetime: '5m',
      allow_pkce_without_client_secret: false,
      auth_type: 'oidc',
      grant_types: ['authorization_code'],
      redirect_uris: ['https://x.example.com/cb'],
      scopes: ['openid', 'email'],
    });
    expect(app.domain).toBeUndefined();
    expect(validateApp(app)).toEqual({ valid: true });
  });

  it('bookmark', () => {
    const app = compileApp(
      'type bookmark\nurl "https://status.example.com"\nlogo_url "https://x.example.com/l.svg"',
    );
    expect(app).toEqual({
      name: 'A',
      type: 'bookmark',
      domain: 'https://status.example.com',
      logo_url: 'https://x.example.com/l.svg',
      policies: [],
    });
    expect(validateApp(app)).toEqual({ valid: true });
  });

  it('infrastructure', () => {
    const app = compileApp(`type infrastructure
target_criteria {
  port 22
  protocol SSH
  target_attributes {
    hostname ["web-1"]
    virtual_network_id ["v1"]
  }
}
target_criteria {
  port 2222
  protocol SSH
  target_attributes {
    ipv4 ["10.0.0.5"]
  }
}
allow "Ops" if everyone() {
  connection_rules {
    ssh {
      usernames ["ubuntu"]
    }
  }
}`);
    expect(app.target_criteria).toEqual([
      { port: 22, protocol: 'SSH', target_attributes: { hostname: ['web-1'], virtual_network_id: ['v1'] } },
      { port: 2222, protocol: 'SSH', target_attributes: { ipv4: ['10.0.0.5'] } },
    ]);
    expect(app.domain).toBeUndefined();
    expect(validateApp(app)).toEqual({ valid: true });
  });

  it('rdp', () => {
    const app = compileApp(`type rdp
domain "rdp.example.com"
session_duration 8h
target_criteria {
  port 3389
  protocol RDP
  target_attributes {
    hostname ["win-1"]
  }
}
use "Everyone"`);
    expect(app.domain).toBe('rdp.example.com');
    expect(app.target_criteria).toEqual([
      { port: 3389, protocol: 'RDP', target_attributes: { hostname: ['win-1'] } },
    ]);
    expect(validateApp(app)).toEqual({ valid: true });
  });

  it('the schema refuses what the API does not take for a type', () => {
    const base = { name: 'A', policies: [] };
    const saml = { auth_type: 'saml', sp_entity_id: 'x', consumer_service_url: 'https://x.example.com' };
    const criteria = [{ port: 22, protocol: 'SSH', target_attributes: { hostname: ['a'] } }];
    const bad: Record<string, unknown>[] = [
      { ...base, type: 'saas', saas_app: saml, domain: 'a.example.com' },
      { ...base, type: 'saas', saas_app: saml, session_duration: '1h' },
      { ...base, type: 'saas' },
      { ...base, type: 'saas', saas_app: { ...saml, redirect_uris: ['https://a.example.com'] } },
      { ...base, type: 'saas', saas_app: { auth_type: 'oidc', sp_entity_id: 'x' } },
      { ...base, type: 'saas', saas_app: { ...saml, client_secret: 's' } },
      { ...base, type: 'bookmark' },
      { ...base, type: 'bookmark', domain: 'a', policies: [{ id: 'p', precedence: 1 }] },
      { ...base, type: 'infrastructure' },
      { ...base, type: 'infrastructure', target_criteria: criteria, domain: 'a.example.com' },
      { ...base, type: 'infrastructure', target_criteria: [{ ...criteria[0], protocol: 'RDP' }] },
      { ...base, type: 'rdp', domain: 'a.example.com' },
      { ...base, type: 'rdp', domain: 'a.example.com', target_criteria: criteria },
      { ...base, type: 'self_hosted', domain: 'a.example.com', target_criteria: criteria },
    ];
    for (const app of bad) expect(validateApp(app).valid, JSON.stringify(app)).toBe(false);
  });
});

describe('app types: settings that do not apply are diagnostics', () => {
  it.each([
    [
      'type saas\ndomain "a.example.com"\nsaas_app { sp_entity_id "x" consumer_service_url "https://x.example.com" }',
      ['ACL0620'],
    ],
    ['type saas', ['ACL0507']],
    ['type saas\nsaas_app { auth_type oidc }', ['ACL0507']],
    [
      'type saas\nsaas_app { auth_type oidc redirect_uris ["https://x.example.com"] name_id_format "id" }',
      ['ACL0621'],
    ],
    [
      'type saas\nsaas_app { sp_entity_id "x" consumer_service_url "https://x.example.com" scopes [openid] }',
      ['ACL0621'],
    ],
    ['type bookmark\nurl "https://x.example.com"\nsession_duration 1h', ['ACL0620']],
    ['type bookmark\nurl "https://x.example.com"\nuse "Everyone"', ['ACL0623']],
    ['type infrastructure', ['ACL0507']],
    ['type infrastructure\ntarget_criteria { port 22 protocol SSH }', ['ACL0507']],
    [
      'type infrastructure\ntarget_criteria { port 22 protocol RDP target_attributes { hostname ["a"] } }',
      ['ACL0622'],
    ],
    [
      'type infrastructure\ntarget_criteria { port 22 protocol SSH target_attributes { hostname ["a"] } }\nlogo_url "https://x.example.com/l.svg"',
      ['ACL0620'],
    ],
    ['type rdp\ndomain "a.example.com"', ['ACL0507']],
    [
      'domain "a.example.com"\ntarget_criteria { port 22 protocol SSH target_attributes { hostname ["a"] } }',
      ['ACL0620'],
    ],
    ['domain "a.example.com"\nurl "https://a.example.com"', ['ACL0620']],
  ])('%s', (body, expected) => {
    expect(codes(body)).toEqual(expected);
  });
});
