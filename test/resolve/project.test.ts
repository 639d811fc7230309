import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parseFile } from '../../src/parser/index.js';
import { resolveProject } from '../../src/resolve/index.js';
import { plain, resolveText } from './helpers.js';

const ADMIN = `
idp okta: okta = "Okta (corporate)"

group "Sanctioned countries" = country in ("KP", "IR", "SY", "CU")
group "Engineers" = okta_group(okta, "engineering") or email_domain("Eng.Example.com")

policy "Block sanctioned countries" deny if group("Sanctioned countries")

app "Admin console" {
  domain "admin.example.com"
  session_duration 8h
  allowed_idps [okta]

  use "Block sanctioned countries"
  allow "Engineers with MFA" if group("Engineers") and auth_method("MFA") precedence 5 {
    session_duration 2h
    purpose_justification_required true
  }
}
`;

const CONTRACTORS = {
  'people.acl': `
extern group "Employees"
policy "Employees" allow if group("Employees") { session_duration 12h }
`,
  'portal.acl': `
app "Contractor portal" {
  domain "contractors.example.com"
  use "Employees"
  allow "Contractors" if email_list("Contractors") and device_posture(id("b7f1"))
      and not (country("RU") or country("BY")) {
    approval_required true
    approval_groups [{ approvals_needed 1 emails ["sponsor@example.com"] }]
  }
  service_auth "CI" if service_token("github-actions") and ip("192.0.2.0/24")
  deny "Everyone else" if everyone
}
`,
};

describe('resolved projects', () => {
  it('admin console', () => {
    const r = resolveText(ADMIN);
    expect(r.diagnostics).toEqual([]);
    expect(plain(r.project)).toMatchInlineSnapshot(`
      {
        "apps": [
          {
            "name": "Admin console",
            "policies": [
              {
                "explicitPrecedence": false,
                "policy": "Block sanctioned countries",
                "precedence": 1,
              },
              {
                "explicitPrecedence": true,
                "policy": "Admin console / Engineers with MFA",
                "precedence": 5,
              },
            ],
            "settings": {
              "allowed_idps": [
                "$ref:idp:Okta (corporate)",
              ],
              "domain": "admin.example.com",
              "session_duration": "8h",
              "type": "self_hosted",
            },
          },
        ],
        "groups": {
          "Engineers": {
            "extern": false,
            "formula": {
              "args": [
                {
                  "atom": {
                    "args": {
                      "identity_provider_id": {
                        "kind": "idp",
                        "name": "Okta (corporate)",
                      },
                      "name": "engineering",
                    },
                    "sel": "okta_group",
                  },
                  "op": "atom",
                },
                {
                  "atom": {
                    "args": {
                      "domain": "eng.example.com",
                    },
                    "sel": "email_domain",
                  },
                  "op": "atom",
                },
              ],
              "op": "or",
            },
            "name": "Engineers",
          },
          "Sanctioned countries": {
            "extern": false,
            "formula": {
              "args": [
                {
                  "atom": {
                    "args": {
                      "country_code": "KP",
                    },
                    "sel": "country",
                  },
                  "op": "atom",
                },
                {
                  "atom": {
                    "args": {
                      "country_code": "IR",
                    },
                    "sel": "country",
                  },
                  "op": "atom",
                },
                {
                  "atom": {
                    "args": {
                      "country_code": "SY",
                    },
                    "sel": "country",
                  },
                  "op": "atom",
                },
                {
                  "atom": {
                    "args": {
                      "country_code": "CU",
                    },
                    "sel": "country",
                  },
                  "op": "atom",
                },
              ],
              "op": "or",
            },
            "name": "Sanctioned countries",
          },
        },
        "idps": {
          "okta": {
            "name": "okta",
            "ref": {
              "kind": "idp",
              "name": "Okta (corporate)",
            },
            "type": "okta",
          },
        },
        "policies": {
          "Admin console / Engineers with MFA": {
            "decision": "allow",
            "displayName": "Engineers with MFA",
            "formula": {
              "args": [
                {
                  "name": "Engineers",
                  "op": "group",
                },
                {
                  "atom": {
                    "args": {
                      "auth_method": "mfa",
                    },
                    "sel": "auth_method",
                  },
                  "op": "atom",
                },
              ],
              "op": "and",
            },
            "inlineIn": "Admin console",
            "name": "Admin console / Engineers with MFA",
            "settings": {
              "purpose_justification_required": true,
              "session_duration": "2h",
            },
          },
          "Block sanctioned countries": {
            "decision": "deny",
            "displayName": "Block sanctioned countries",
            "formula": {
              "name": "Sanctioned countries",
              "op": "group",
            },
            "name": "Block sanctioned countries",
            "settings": {},
          },
        },
      }
    `);
  });

  it('contractor portal over two files', () => {
    const r = resolveText(CONTRACTORS);
    expect(r.diagnostics).toEqual([]);
    expect(plain(r.project)).toMatchInlineSnapshot(`
      {
        "apps": [
          {
            "name": "Contractor portal",
            "policies": [
              {
                "explicitPrecedence": false,
                "policy": "Employees",
                "precedence": 1,
              },
              {
                "explicitPrecedence": false,
                "policy": "Contractor portal / Contractors",
                "precedence": 2,
              },
              {
                "explicitPrecedence": false,
                "policy": "Contractor portal / CI",
                "precedence": 3,
              },
              {
                "explicitPrecedence": false,
                "policy": "Contractor portal / Everyone else",
                "precedence": 4,
              },
            ],
            "settings": {
              "domain": "contractors.example.com",
              "type": "self_hosted",
            },
          },
        ],
        "groups": {
          "Employees": {
            "extern": true,
            "name": "Employees",
          },
        },
        "idps": {},
        "policies": {
          "Contractor portal / CI": {
            "decision": "non_identity",
            "displayName": "CI",
            "formula": {
              "args": [
                {
                  "atom": {
                    "args": {
                      "token_id": {
                        "kind": "service_token",
                        "name": "github-actions",
                      },
                    },
                    "sel": "service_token",
                  },
                  "op": "atom",
                },
                {
                  "atom": {
                    "args": {
                      "ip": "192.0.2.0/24",
                    },
                    "sel": "ip",
                  },
                  "op": "atom",
                },
              ],
              "op": "and",
            },
            "inlineIn": "Contractor portal",
            "name": "Contractor portal / CI",
            "settings": {},
          },
          "Contractor portal / Contractors": {
            "decision": "allow",
            "displayName": "Contractors",
            "formula": {
              "args": [
                {
                  "atom": {
                    "args": {
                      "id": {
                        "kind": "email_list",
                        "name": "Contractors",
                      },
                    },
                    "sel": "email_list",
                  },
                  "op": "atom",
                },
                {
                  "atom": {
                    "args": {
                      "integration_uid": {
                        "id": "b7f1",
                        "kind": "device_posture",
                      },
                    },
                    "sel": "device_posture",
                  },
                  "op": "atom",
                },
                {
                  "arg": {
                    "args": [
                      {
                        "atom": {
                          "args": {
                            "country_code": "RU",
                          },
                          "sel": "country",
                        },
                        "op": "atom",
                      },
                      {
                        "atom": {
                          "args": {
                            "country_code": "BY",
                          },
                          "sel": "country",
                        },
                        "op": "atom",
                      },
                    ],
                    "op": "or",
                  },
                  "op": "not",
                },
              ],
              "op": "and",
            },
            "inlineIn": "Contractor portal",
            "name": "Contractor portal / Contractors",
            "settings": {
              "approval_groups": [
                {
                  "approvals_needed": 1,
                  "email_addresses": [
                    "sponsor@example.com",
                  ],
                },
              ],
              "approval_required": true,
            },
          },
          "Contractor portal / Everyone else": {
            "decision": "deny",
            "displayName": "Everyone else",
            "formula": {
              "atom": {
                "args": {},
                "sel": "everyone",
              },
              "op": "atom",
            },
            "inlineIn": "Contractor portal",
            "name": "Contractor portal / Everyone else",
            "settings": {},
          },
          "Employees": {
            "decision": "allow",
            "displayName": "Employees",
            "formula": {
              "atom": {
                "args": {
                  "id": {
                    "kind": "group",
                    "name": "Employees",
                  },
                },
                "sel": "group",
              },
              "op": "atom",
            },
            "name": "Employees",
            "settings": {
              "session_duration": "12h",
            },
          },
        },
      }
    `);
  });
});

describe('robustness', () => {
  it('adds nothing to syntax errors: placeholders for lost parts pass silently', () => {
    const text = [
      'policy "Missing if" allow email("a@example.com")',
      'policy "Unclosed" allow if (country("US") or country("CA")',
      'app "Docs" {',
      '  domain "docs.example.com"',
      '  alow "Typo in decision" if everyone',
      '  allow if everyone',
      '  session_duration',
      '}',
      'group "G" = ',
      'idp = "x"',
      'policy "Q" allow if email(',
    ].join('\n');
    const parsed = parseFile(new SourceFile('x.acl', text));
    expect(parsed.diagnostics.length).toBeGreaterThan(3);
    const r = resolveProject([parsed.value]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });

  const lines = [...ADMIN.split('\n'), ...Object.values(CONTRACTORS).flatMap((t) => t.split('\n'))];
  it('never throws, and every diagnostic lies inside its file, whatever lines are combined', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...lines), { maxLength: 30 }), (picked) => {
        const file = new SourceFile('x.acl', picked.join('\n'));
        const parsed = parseFile(file);
        const r = resolveProject([parsed.value]);
        for (const d of r.diagnostics) {
          expect(d.span.file).toBe('x.acl');
          expect(d.span.start).toBeGreaterThanOrEqual(0);
          expect(d.span.end).toBeLessThanOrEqual(file.text.length);
          expect(d.span.start).toBeLessThanOrEqual(d.span.end);
        }
      }),
      { numRuns: 150 },
    );
  });
});
