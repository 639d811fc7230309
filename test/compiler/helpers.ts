import type { Span } from '../../src/diagnostics/diagnostic.js';
import type { Decision } from '../../src/model/decision.js';
import type { Atom, Formula } from '../../src/model/formula.js';
import type { AppDef, GroupDef, PolicyDef, Project, WireSettings } from '../../src/model/project.js';

/** Test builders for formulas and projects (the resolver's output, written by hand). */
export const FILE = 'test.acl';
export const span = (start = 0, end = start): Span => ({ file: FILE, start, end });

export const atom = (sel: string, args: Atom['args']): Formula => ({ op: 'atom', atom: { sel, args } });
export const email = (address: string): Formula => atom('email', { email: address });
export const domain = (d: string): Formula => atom('email_domain', { domain: d });
export const country = (code: string): Formula => atom('country', { country_code: code });
export const mfa = (method = 'mfa'): Formula => atom('auth_method', { auth_method: method });
export const ip = (cidr: string): Formula => atom('ip', { ip: cidr });
export const certificate: Formula = atom('certificate', {});
export const everyone: Formula = atom('everyone', {});
export const anyServiceToken: Formula = atom('any_service_token', {});
export const risk = (...levels: string[]): Formula => atom('user_risk_score', { user_risk_score: levels });
export const okta = (group: string): Formula =>
  atom('okta_group', { identity_provider_id: { kind: 'idp', name: 'okta' }, name: group });
export const externGroup = (name: string): Formula => atom('group', { id: { kind: 'group', name } });
export const linkedApp = (name: string): Formula =>
  atom('linked_app_token', { app_uid: { kind: 'app', name } });

export const and = (...args: Formula[]): Formula => ({ op: 'and', args });
export const or = (...args: Formula[]): Formula => ({ op: 'or', args });
export const not = (arg: Formula): Formula => ({ op: 'not', arg });
export const group = (name: string): Formula => ({ op: 'group', name });
export const T: Formula = { op: 'const', value: true };
export const F: Formula = { op: 'const', value: false };

export interface PolicySpec {
  name: string;
  decision?: Decision;
  formula: Formula;
  settings?: WireSettings;
}

export interface AppSpec {
  name: string;
  settings?: WireSettings;
  /** `[policy name, precedence]` */
  policies: [string, number][];
}

/** A project; a group whose formula is `undefined` is extern. Offsets grow so every definition has its own span. */
export function project(spec: {
  groups?: Record<string, Formula | undefined>;
  policies?: PolicySpec[];
  apps?: AppSpec[];
}): Project {
  let offset = 0;
  const next = (): Span => {
    offset += 10;
    return span(offset, offset + 5);
  };
  const groups = new Map<string, GroupDef>();
  for (const [name, formula] of Object.entries(spec.groups ?? {})) {
    const s = next();
    const def: GroupDef = {
      name,
      extern: formula === undefined,
      span: s,
      nameSpan: { ...s, start: s.start + 1 },
    };
    if (formula !== undefined) def.formula = formula;
    groups.set(name, def);
  }
  const policies = new Map<string, PolicyDef>();
  for (const p of spec.policies ?? []) {
    const s = next();
    policies.set(p.name, {
      name: p.name,
      displayName: p.name,
      decision: p.decision ?? 'allow',
      formula: p.formula,
      settings: p.settings ?? {},
      span: s,
      nameSpan: { ...s, start: s.start + 1 },
      exprSpan: { ...s, start: s.start + 2 },
    });
  }
  const apps: AppDef[] = (spec.apps ?? []).map((a) => {
    const s = next();
    return {
      name: a.name,
      settings: a.settings ?? {
        type: 'self_hosted',
        domain: `${a.name.toLowerCase().replace(/\W/g, '')}.example.com`,
      },
      policies: a.policies.map(([policy, precedence]) => ({
        policy,
        precedence,
        explicitPrecedence: true,
        span: s,
      })),
      span: s,
      nameSpan: { ...s, start: s.start + 1 },
    };
  });
  return { idps: new Map(), groups, policies, apps };
}

/** A project with one policy `P` and its app `App`. */
export function single(formula: Formula, groups: Record<string, Formula | undefined> = {}): Project {
  return project({
    groups,
    policies: [{ name: 'P', formula }],
    apps: [{ name: 'App', policies: [['P', 1]] }],
  });
}
