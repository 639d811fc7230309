import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { refKey } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import type { Project } from '../model/project.js';
import { closestOr } from '../resolve/values.js';
import { RISK_LEVELS } from '../selectors/values.js';

/**
 * The identity attributes a test (or `aclc explain --as`) can give, one entry per `Identity` field. `single` takes
 * one value, `list` one or more, `flag` none, `pairs` one or more `name=value`.
 */
interface AttributeSpec {
  key: string;
  field: keyof Identity;
  kind: 'single' | 'list' | 'flag' | 'pairs';
  doc: string;
}

export const ATTRIBUTES: readonly AttributeSpec[] = [
  { key: 'email', field: 'email', kind: 'single', doc: 'the user’s email address' },
  { key: 'country', field: 'country', kind: 'single', doc: 'ISO country code of the request' },
  { key: 'ip', field: 'ip', kind: 'single', doc: 'source IP address' },
  {
    key: 'idp',
    field: 'loginMethod',
    kind: 'single',
    doc: 'the IdP the user logged in with (its name in the code)',
  },
  {
    key: 'idp_group',
    field: 'idpGroups',
    kind: 'list',
    doc: 'groups the IdP reported (Azure ids, Okta names, Google emails)',
  },
  { key: 'github', field: 'githubTeams', kind: 'list', doc: 'GitHub memberships, `org` or `org/team`' },
  { key: 'saml', field: 'samlAttributes', kind: 'pairs', doc: 'SAML attributes, `name=value`' },
  { key: 'oidc', field: 'oidcClaims', kind: 'pairs', doc: 'OIDC claims, `name=value`' },
  { key: 'auth_context', field: 'authContexts', kind: 'list', doc: 'Azure authentication context ids' },
  {
    key: 'auth_method',
    field: 'authMethods',
    kind: 'list',
    doc: 'authentication methods (`mfa`, `pwd`, `hwk`, …)',
  },
  { key: 'certificate', field: 'certificate', kind: 'flag', doc: 'a valid client certificate was presented' },
  { key: 'common_name', field: 'commonName', kind: 'single', doc: 'the client certificate’s common name' },
  {
    key: 'service_token',
    field: 'serviceToken',
    kind: 'single',
    doc: 'the service token presented (its name in the code)',
  },
  { key: 'device_posture', field: 'devicePosture', kind: 'list', doc: 'device posture checks that passed' },
  { key: 'risk', field: 'riskScore', kind: 'single', doc: 'user risk score: low, medium, high or unscored' },
  { key: 'group', field: 'accessGroups', kind: 'list', doc: 'account (extern) Access groups the user is in' },
  { key: 'email_list', field: 'emailLists', kind: 'list', doc: 'account email lists holding the email' },
  { key: 'ip_list', field: 'ipLists', kind: 'list', doc: 'account IP lists holding the IP' },
  {
    key: 'external_evaluation',
    field: 'externalEvaluations',
    kind: 'list',
    doc: 'external evaluation URLs that allow',
  },
  {
    key: 'linked_app_token',
    field: 'linkedAppToken',
    kind: 'single',
    doc: 'app_uid of the linked OIDC SaaS app',
  },
  { key: 'account_member', field: 'accountMember', kind: 'flag', doc: 'a member of the Cloudflare account' },
];

const ALIASES: Readonly<Record<string, string>> = {
  login_method: 'idp',
  user_risk_score: 'risk',
  auth_methods: 'auth_method',
  idp_groups: 'idp_group',
  groups: 'group',
};

const BY_KEY = new Map(ATTRIBUTES.map((a) => [a.key, a]));

export function attributeSpec(key: string): AttributeSpec | undefined {
  return BY_KEY.get(ALIASES[key] ?? key);
}

/** One attribute as written: its key and values, with spans for diagnostics. */
export interface WrittenAttribute {
  key: string;
  keySpan: Span;
  values: { text: string; span: Span }[];
}

/**
 * Attributes → `Identity`, checked against the project: IdP names become the key the selectors compare (the
 * IdP's display name or id), a code-defined group cannot be claimed (its membership is computed).
 */
export function buildIdentity(
  written: readonly WrittenAttribute[],
  project: Project,
  diagnostics: Diagnostic[],
): Identity {
  const id: Identity = {};
  const bag = id as Record<string, unknown>;
  for (const attr of written) {
    const spec = attributeSpec(attr.key);
    if (!spec) {
      diagnostics.push(
        diagnostic(
          'ACL0953',
          attr.keySpan,
          { name: attr.key },
          {
            help: closestOr(
              attr.key,
              ATTRIBUTES.map((a) => a.key),
              `attributes are ${ATTRIBUTES.map((a) => `\`${a.key}\``).join(', ')}`,
            ),
          },
        ),
      );
      continue;
    }
    const bad = (span: Span, reason: string, help: string): void => {
      diagnostics.push(diagnostic('ACL0958', span, { key: spec.key, reason }, { help }));
    };
    if (spec.kind === 'flag') {
      bag[spec.field] = true;
      continue;
    }
    if (attr.values.length === 0) {
      bad(attr.keySpan, 'a value is missing', `write \`${spec.key} "…"\``);
      continue;
    }
    if (spec.kind === 'single' && (attr.values.length > 1 || bag[spec.field] !== undefined)) {
      bad(attr.values[1]?.span ?? attr.keySpan, 'it takes one value', `give \`${spec.key}\` once`);
      continue;
    }
    for (const { text, span } of attr.values) {
      let value = text;
      switch (spec.key) {
        case 'email':
          value = text.toLowerCase();
          break;
        case 'country':
          value = text.toUpperCase();
          break;
        case 'risk':
          if (!(RISK_LEVELS as readonly string[]).includes(text)) {
            bad(span, `\`${text}\` is not a risk level`, 'use low, medium, high or unscored');
            continue;
          }
          break;
        case 'idp': {
          const def = project.idps.get(text);
          if (!def) {
            const names = [...project.idps.keys()];
            diagnostics.push(
              diagnostic(
                'ACL0954',
                span,
                { name: text },
                {
                  help: closestOr(
                    text,
                    names,
                    names.length
                      ? `the project declares ${names.map((n) => `\`${n}\``).join(', ')}`
                      : 'declare it with `idp NAME: TYPE = "Display name"`',
                  ),
                },
              ),
            );
            continue;
          }
          value = refKey(def.ref);
          break;
        }
        case 'group': {
          const def = project.groups.get(text);
          if (def && !def.extern) {
            diagnostics.push(diagnostic('ACL0955', span, { name: text }));
            continue;
          }
          break;
        }
      }
      if (spec.kind === 'single') bag[spec.field] = value;
      else if (spec.kind === 'list') {
        const list = (bag[spec.field] as string[] | undefined) ?? [];
        if (!list.includes(value)) list.push(value);
        bag[spec.field] = list;
      } else {
        const eq = value.indexOf('=');
        if (eq <= 0) {
          bad(span, `\`${value}\` is not \`name=value\``, `write \`${spec.key} "name=value"\``);
          continue;
        }
        const map =
          (bag[spec.field] as Record<string, string[]> | undefined) ??
          (Object.create(null) as Record<string, string[]>);
        const name = value.slice(0, eq);
        map[name] = [...(map[name] ?? []), value.slice(eq + 1)];
        bag[spec.field] = map;
      }
    }
  }
  return id;
}

/**
 * `Identity` → attributes as a test writes them (the inverse of `buildIdentity`): IdP keys back to the names the
 * code declares. Used to print counterexamples and witnesses, and by `renderWitnessTest`.
 */
export function identityAttributes(
  identity: Identity,
  project?: Project,
): { key: string; values: string[] }[] {
  const out: { key: string; values: string[] }[] = [];
  const bag = identity as Record<string, unknown>;
  for (const spec of ATTRIBUTES) {
    const v = bag[spec.field];
    if (v === undefined || v === false) continue;
    if (spec.kind === 'flag') out.push({ key: spec.key, values: [] });
    else if (spec.kind === 'single') {
      let text = String(v);
      if (spec.key === 'idp' && project) {
        for (const [name, def] of project.idps) if (refKey(def.ref) === text) text = name;
      }
      out.push({ key: spec.key, values: [text] });
    } else if (spec.kind === 'list') out.push({ key: spec.key, values: [...(v as string[])] });
    else {
      const pairs: string[] = [];
      for (const [name, values] of Object.entries(v as Record<string, string[]>))
        for (const value of values) pairs.push(`${name}=${value}`);
      if (pairs.length > 0) out.push({ key: spec.key, values: pairs });
    }
  }
  return out;
}
