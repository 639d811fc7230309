import { DECISION_KEYWORDS } from '../model/decision.js';
import type { SelectorSpec } from '../selectors/table.js';
import type { ValueKind } from '../selectors/values.js';
import { describeType, type SettingSpec } from '../settings/schema.js';

const VALUE_WORDS: Readonly<Record<ValueKind, string>> = {
  email: 'an email address',
  domain: 'a domain',
  cidr: 'an IP address or CIDR range',
  country: 'an ISO 3166-1 alpha-2 country code',
  text: 'a string',
  url: 'a URL',
  auth_method: 'an authentication method (RFC 8176 `amr` value)',
  risk_level: 'a risk level (`low`, `medium`, `high`, `unscored`)',
};

/** Markdown shown for a selector (hover and completion): signature, summary, parameters, wire key. */
export function selectorDoc(spec: SelectorSpec): string {
  const params = spec.params.map((p) => `${p.label}${p.optional ? '?' : ''}`);
  const repeat = spec.repeat === 'expand' ? ', …' : spec.repeat === 'list' ? ', …' : '';
  const signature =
    spec.nullary || spec.params.length === 0 ? spec.name : `${spec.name}(${params.join(', ')}${repeat})`;
  const lines = [`\`\`\`acl\n${signature}\n\`\`\``, spec.summary];
  if (spec.params.length > 0) {
    lines.push(
      spec.params
        .map((p) => {
          const type =
            p.type.kind === 'value'
              ? VALUE_WORDS[p.type.value]
              : p.type.kind === 'idp'
                ? `an IdP name declared with \`idp\`${spec.idpTypes ? ` (type ${spec.idpTypes.map((t) => `\`${t}\``).join(', ')})` : ''}`
                : `the name of a ${p.type.ref.replace(/_/g, ' ')} (or \`id("…")\`)`;
          return `- \`${p.label}\`: ${type}${p.optional ? ' (optional)' : ''} → \`${p.field}\``;
        })
        .join('\n'),
    );
  }
  if (spec.repeat === 'expand') lines.push('Several values mean any of them (one rule each).');
  if (spec.repeat === 'list') lines.push('Several values form one set, carried by one rule.');
  if (spec.decisions) lines.push(`Only with ${spec.decisions.map((d) => `\`${d}\``).join(', ')} policies.`);
  lines.push(`Wire key: \`${spec.wireKey}\` · reads: ${spec.reads}`);
  return lines.join('\n\n');
}

/** Markdown shown for a setting: its doc, the type it takes, the API field, an example. */
export function settingDoc(spec: SettingSpec, where: string): string {
  return [
    `\`\`\`acl\n${spec.example}\n\`\`\``,
    `${spec.doc} (${where})`,
    `Takes ${describeType(spec.type)} → API field \`${spec.wire}\`${spec.repeatable ? '; may be repeated' : ''}.`,
  ].join('\n\n');
}

/** Hover text of `zone` (an app's line, or `in zone` after a group's name). */
export const ZONE_DOC = [
  '```acl\nzone "example.com"        # in an app\ngroup "Editors" in zone "example.com" = …\n```',
  'puts the app or group in a zone (`/zones/{zone_id}/access/…`) instead of the account: the zone\'s domain, whose id aclc looks up when it deploys, or `id("…")`. A zone-level app\'s policies are written inside it (reusable policies exist only at account level); a zone-level group is used only in its zone.',
].join('\n\n');

const DECISION_DOCS: Readonly<Record<string, string>> = {
  allow: 'lets matching users in, after they sign in with an identity provider',
  deny: 'keeps matching users out',
  bypass: 'lets matching requests through with no sign-in; Access evaluates bypass policies first',
  non_identity:
    'lets matching requests through on a non-identity credential (a service token, a certificate); evaluated first',
};

export function decisionDoc(keyword: string): string | undefined {
  const decision = DECISION_KEYWORDS[keyword];
  if (!decision) return undefined;
  return `\`${keyword}\` — ${DECISION_DOCS[decision]} (API decision \`${decision}\`)`;
}
