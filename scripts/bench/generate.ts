/**
 * Generates a realistic project of `policies` policies spread over apps of `perApp` policies each, with a few
 * IdPs, shared groups and reusable policies: the input of the benchmarks.
 */
export function generateProject(policies: number, perApp = 10): string {
  const out: string[] = [
    'idp okta: okta = "Okta"',
    'idp azure: azure = "Azure AD"',
    'idp github: github = "GitHub"',
    'extern group "Employees"',
    'group "Sanctioned" = country in ("KP", "IR", "SY", "CU")',
    'group "Engineers" = okta_group(okta, "engineering") or email_domain("eng.example.com")',
    'group "Office" = ip("10.0.0.0/8", "192.168.0.0/16") or device_posture("WARP")',
    'group "SRE" = group("Engineers") and (azure_group(azure, "sre") or github_org(github, "acme", "sre"))',
    'policy "Block sanctioned" deny if group("Sanctioned")',
    'policy "Employees" allow if group("Employees") and auth_method("mfa")',
    '',
  ];
  const countries = ['US', 'DE', 'FR', 'JP', 'BR', 'IN', 'GB', 'CA'];
  const apps = Math.max(1, Math.ceil(policies / perApp));
  let made = 0;
  for (let a = 0; a < apps && made < policies; a++) {
    out.push(`app "Service ${a}" {`, `  domain "svc-${a}.example.com"`, '  session_duration 12h');
    for (let p = 0; p < perApp && made < policies; p++, made++) {
      const c = countries[(a + p) % countries.length];
      switch (p % 6) {
        case 0:
          out.push(
            p === 0
              ? '  use "Block sanctioned"'
              : `  allow "Readers ${p}" if group("Employees") and not country("${c}")`,
          );
          break;
        case 1:
          out.push(`  bypass "Health ${p}" if ip("198.51.${a % 256}.${p % 256}/32")`);
          break;
        case 2:
          out.push(
            `  allow "Team ${p}" if group("Engineers") and country("${c}") and not user_risk_score("high")`,
          );
          break;
        case 3:
          out.push(
            `  allow "Owners ${p}" if email("owner-${a}-${p}@example.com", "lead-${a}@example.com") or (group("SRE") and group("Office"))`,
          );
          break;
        case 4:
          out.push(`  service_auth "CI ${p}" if service_token("ci-${a}") and ip("203.0.113.0/24")`);
          break;
        default:
          out.push(
            `  deny "Contractors ${p}" if email_domain("contractor-${p}.example.org") and not device_posture("disk")`,
          );
      }
    }
    out.push('}', '');
  }
  return out.join('\n');
}
