import type { AccessApp, AccessGroup, AppPolicyRef, ReusablePolicy } from '../../src/api/types.js';
import type { LiveState } from '../../src/deploy/live.js';
import type { Identity } from '../../src/model/identity.js';

/** A small deterministic PRNG (mulberry32), so a fast-check integer seed describes a whole account. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const chance = (p: number): boolean => next() < p;
  const some = <T>(xs: readonly T[], max: number): T[] => {
    const out: T[] = [];
    const n = 1 + int(max);
    for (let i = 0; i < n; i++) {
      const x = pick(xs);
      if (!out.includes(x)) out.push(x);
    }
    return out;
  };
  return { next, int, pick, chance, some };
}

export const IDS = {
  okta: 'idp-okta-0000-4000-8000-000000000001',
  github: 'idp-gh-0000-4000-8000-000000000002',
  otp: 'idp-otp-0000-4000-8000-000000000003',
  emailList: 'list-em-0000-4000-8000-000000000004',
  ipList: 'list-ip-0000-4000-8000-000000000005',
  tokenA: 'tok-a-0000-4000-8000-000000000006',
  tokenB: 'tok-b-0000-4000-8000-000000000007',
  posture: 'post-0000-4000-8000-000000000008',
  unknownGroup: 'grp-elsewhere-0000-4000-8000-000000009',
};

const EMAILS = ['a@example.com', 'b@eng.example.com', 'c@contractor.example.net', 'root@example.org'];
const DOMAINS = ['example.com', 'eng.example.com', 'example.org'];
const COUNTRIES = ['US', 'KP', 'DE', 'FR'];
const CIDRS = ['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32', '198.51.100.7/32'];
const ADDRESSES = ['10.1.2.3', '192.0.2.5', '2001:db8::1', '198.51.100.7', '203.0.113.9'];
const OKTA_GROUPS = ['eng', 'ops', 'sales'];
const AUTH = ['mfa', 'pwd', 'hwk'];
const RISK = ['low', 'medium', 'high'];
const NAMES = [
  'Engineers',
  'Ops "core"',
  'Sales & Co',
  'On-call',
  'Contractors',
  'Admins',
  'Everyone-ish',
  'Backslash \\ team',
];
const DECISIONS = ['allow', 'deny', 'bypass', 'non_identity'] as const;

type Rand = ReturnType<typeof prng>;
type Rule = Record<string, Record<string, unknown>>;

function rule(r: Rand, groupIds: string[]): Rule {
  const k = r.int(19);
  switch (k) {
    case 0:
      return { email: { email: r.pick(EMAILS) } };
    case 1:
      return { email_domain: { domain: r.pick(DOMAINS) } };
    case 2:
      return { ip: { ip: r.pick(CIDRS) } };
    case 3:
      return { geo: { country_code: r.pick(COUNTRIES) } };
    case 4:
      return { everyone: {} };
    case 5:
      return groupIds.length > 0 && r.chance(0.8)
        ? { group: { id: r.pick(groupIds) } }
        : { group: { id: IDS.unknownGroup } };
    case 6:
      return { email_list: { id: IDS.emailList } };
    case 7:
      return { ip_list: { id: IDS.ipList } };
    case 8:
      return { service_token: { token_id: r.pick([IDS.tokenA, IDS.tokenB]) } };
    case 9:
      return { any_valid_service_token: {} };
    case 10:
      return { device_posture: { integration_uid: IDS.posture } };
    case 11:
      return { okta: { identity_provider_id: IDS.okta, name: r.pick(OKTA_GROUPS) } };
    case 12:
      return r.chance(0.5)
        ? { 'github-organization': { identity_provider_id: IDS.github, name: 'acme' } }
        : { 'github-organization': { identity_provider_id: IDS.github, name: 'acme', team: 'sre' } };
    case 13:
      return { auth_method: { auth_method: r.pick(AUTH) } };
    case 14:
      return { login_method: { id: r.pick([IDS.okta, IDS.otp]) } };
    case 15:
      return { user_risk_score: { user_risk_score: r.some(RISK, 2) } };
    case 16:
      return { certificate: {} };
    case 17:
      return { common_name: { common_name: r.pick(['runner-1', 'runner-2']) } };
    default:
      return { email: { email: r.pick(EMAILS) } };
  }
}

function rules(r: Rand, groupIds: string[], min: number, max: number): Rule[] {
  const n = min + r.int(max - min + 1);
  return Array.from({ length: n }, () => rule(r, groupIds));
}

function body(r: Rand, groupIds: string[]) {
  return {
    include: rules(r, groupIds, 1, 3),
    require: r.chance(0.4) ? rules(r, groupIds, 1, 2) : [],
    exclude: r.chance(0.4) ? rules(r, groupIds, 1, 2) : [],
  };
}

const T = '2025-01-01T00:00:00Z';

/**
 * A random account: a few groups (one may be a synthesized `aclc~` group, some use earlier ones), reusable
 * policies (some named `<app> / <name>` and used by that app alone), apps linking them, and legacy app-scoped
 * policies, over a fixed set of account objects.
 */
export function randomAccount(seed: number): LiveState {
  const r = prng(seed);
  const groups: AccessGroup[] = [];
  const names = [...NAMES];
  const nGroups = r.int(4);
  for (let i = 0; i < nGroups; i++) {
    const synthesized = i === 0 && r.chance(0.3);
    const name = synthesized
      ? `aclc~${(seed % 0xffffff).toString(16).padStart(12, '0')}`
      : (names.splice(r.int(names.length), 1)[0] as string);
    groups.push({
      id: `grp-${i}`,
      name,
      ...body(
        r,
        groups.map((g) => g.id),
      ),
      created_at: T,
      updated_at: T,
    });
  }
  const groupIds = groups.map((g) => g.id);

  const nApps = 1 + r.int(3);
  const apps: AccessApp[] = [];
  const policies: ReusablePolicy[] = [];
  const shared: ReusablePolicy[] = [];
  const nShared = r.int(3);
  for (let i = 0; i < nShared; i++) {
    // Now and then two reusable policies share a name: the import must tell them apart by id.
    const p = {
      id: `pol-s${i}`,
      name: i > 0 && r.chance(0.25) ? `Shared ${i - 1}` : `Shared ${i}`,
      decision: r.pick(DECISIONS),
      ...body(r, groupIds),
      reusable: true as const,
    };
    if (r.chance(0.3)) Object.assign(p, { session_duration: r.pick(['1h', '30m', '12h']) });
    if (r.chance(0.3))
      Object.assign(p, {
        connection_rules: r.chance(0.5)
          ? { ssh: { usernames: ['root', 'ubuntu'], allow_email_alias: r.chance(0.5) } }
          : {
              rdp: {
                allowed_clipboard_local_to_remote_formats: ['text'],
                allowed_clipboard_remote_to_local_formats: [],
              },
            },
      });
    shared.push(p);
    policies.push(p);
  }
  for (let a = 0; a < nApps; a++) {
    const appName = `App ${a}`;
    const links: AppPolicyRef[] = [];
    const precedences = [1, 2, 3, 4, 5, 6, 7, 8].sort(() => r.next() - 0.5);
    for (const p of shared)
      if (r.chance(0.6))
        links.push({ id: p.id, precedence: precedences.pop() as number, name: p.name, reusable: true });
    const nOwn = r.int(3);
    for (let i = 0; i < nOwn; i++) {
      const p = {
        id: `pol-a${a}-${i}`,
        name: `${appName} / Rule ${i}`,
        decision: r.pick(DECISIONS),
        ...body(r, groupIds),
        reusable: true as const,
      };
      policies.push(p);
      links.push({ id: p.id, precedence: precedences.pop() as number, name: p.name, reusable: true });
    }
    const nLegacy = r.int(3);
    for (let i = 0; i < nLegacy; i++) {
      links.push({
        id: `leg-a${a}-${i}`,
        name: `Legacy ${i}`,
        decision: r.pick(DECISIONS),
        ...body(r, groupIds),
        precedence: precedences.pop() as number,
        reusable: false,
      });
    }
    links.sort((x, y) => x.precedence - y.precedence);
    const app: AccessApp = {
      id: `app-${a}`,
      name: appName,
      type: 'self_hosted',
      domain: `app${a}.example.com`,
      policies: links,
      created_at: T,
      updated_at: T,
    };
    if (r.chance(0.5))
      Object.assign(app, { session_duration: r.pick(['8h', '24h']), app_launcher_visible: r.chance(0.5) });
    // Values Cloudflare accepts: wildcards inside a label and on several levels, `max_age -1`, destinations.
    if (r.chance(0.3)) app.domain = r.pick([`lab-${a}-*.example.io`, `*.*.app${a}.example.com/docs/*`]);
    if (r.chance(0.3)) Object.assign(app, { cors_headers: { allow_all_origins: true, max_age: -1 } });
    if (r.chance(0.3))
      Object.assign(app, {
        destinations: [
          { type: 'public', uri: app.domain },
          { type: 'public', uri: `app${a}.example.com/extra` },
          { type: 'private', cidr: '10.0.0.0/24', port_range: '22', l4_protocol: 'tcp' },
          { type: 'private', hostname: `db${a}.internal.example.com` },
        ],
      });
    apps.push(app);
  }
  return {
    groups,
    policies,
    apps,
    idps: [
      { id: IDS.okta, name: 'Okta', type: 'okta', config: {} },
      { id: IDS.github, name: 'GitHub', type: 'github', config: {} },
      { id: IDS.otp, name: 'One-time PIN', type: 'onetimepin', config: {} },
    ],
    lists: [
      { id: IDS.emailList, name: 'Contractors', type: 'EMAIL' },
      { id: IDS.ipList, name: 'Offices', type: 'IP' },
    ],
    serviceTokens: [
      { id: IDS.tokenA, name: 'ci', client_id: 'a' },
      { id: IDS.tokenB, name: 'deploy bot', client_id: 'b' },
    ],
    postureRules: [{ id: IDS.posture, name: 'Disk encryption', type: 'disk_encryption' }],
  };
}

/** A random request over the same values the accounts use (account objects by id). */
export function randomIdentity(r: Rand): Identity {
  const id: Identity = {};
  if (r.chance(0.8)) id.email = r.pick(EMAILS);
  if (r.chance(0.8)) id.country = r.pick(COUNTRIES);
  if (r.chance(0.8)) id.ip = r.pick(ADDRESSES);
  if (r.chance(0.6)) id.loginMethod = r.pick([IDS.okta, IDS.github, IDS.otp]);
  if (r.chance(0.5)) id.idpGroups = r.some(OKTA_GROUPS, 2);
  if (r.chance(0.4)) id.githubTeams = r.pick([['acme'], ['acme/sre'], ['other']]);
  if (r.chance(0.5)) id.authMethods = r.some(AUTH, 2);
  if (r.chance(0.3)) id.serviceToken = r.pick([IDS.tokenA, IDS.tokenB]);
  if (r.chance(0.4)) id.devicePosture = [IDS.posture];
  if (r.chance(0.4)) id.emailLists = [IDS.emailList];
  if (r.chance(0.4)) id.ipLists = [IDS.ipList];
  if (r.chance(0.3)) id.accessGroups = [IDS.unknownGroup];
  if (r.chance(0.5)) id.riskScore = r.pick(['low', 'medium', 'high', 'unscored'] as const);
  if (r.chance(0.3)) id.certificate = true;
  if (r.chance(0.3)) id.commonName = r.pick(['runner-1', 'runner-2']);
  return id;
}
