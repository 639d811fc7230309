import type { Atom } from '../../model/formula.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { directAtoms, groupsReaching, reachesAtom, visitAtoms } from '../walk.js';

/**
 * Domains of public mail providers: anyone can open an address there. `*` stands for any suffix (country
 * domains such as `gmx.de`, `yahoo.co.uk`). Keep it sorted.
 */
export const PUBLIC_EMAIL_DOMAINS: readonly string[] = [
  '126.com',
  '163.com',
  'aol.*',
  'fastmail.com',
  'fastmail.fm',
  'free.fr',
  'gmail.com',
  'gmx.*',
  'googlemail.com',
  'hey.com',
  'hotmail.*',
  'hushmail.com',
  'icloud.com',
  'inbox.ru',
  'laposte.net',
  'libero.it',
  'live.*',
  'mac.com',
  'mail.com',
  'mail.ru',
  'me.com',
  'msn.com',
  'naver.com',
  'orange.fr',
  'outlook.*',
  'pm.me',
  'proton.me',
  'protonmail.*',
  'qq.com',
  'rambler.ru',
  'rediffmail.com',
  't-online.de',
  'tuta.io',
  'tutanota.*',
  'wanadoo.fr',
  'web.de',
  'yahoo.*',
  'yandex.*',
  'ymail.com',
  'zoho.com',
];

/** What `*` may stand for: a top-level domain, or a second-level one under a country (`co.uk`, `com.br`). */
const COUNTRY_SUFFIX = /^(com|net|org|[a-z]{2}|(co|com|net|org)\.[a-z]{2})$/;

/** Whether a (canonical, lower-case) domain belongs to a public mail provider. */
export function isPublicEmailDomain(domain: string): boolean {
  return PUBLIC_EMAIL_DOMAINS.some((entry) =>
    entry.endsWith('.*')
      ? domain.startsWith(entry.slice(0, -1)) && COUNTRY_SUFFIX.test(domain.slice(entry.length - 1))
      : domain === entry,
  );
}

/** An allow or bypass policy that admits a whole public mail domain. */
export const publicEmailDomain = defineRule({
  meta: {
    id: 'public-email-domain',
    category: 'traps',
    defaultSeverity: 'error',
    summary: 'an allow or bypass policy admits every address of a public mail provider such as gmail.com',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    domain: '`{policy}` lets in anyone with an `@{domain}` address, e.g. {who}; anyone can create one',
  },
  check(ctx) {
    // Every address the project names (collected at the first probe): the probe must be one no atom mentions, so
    // no condition can single it out.
    let named: Set<string> | undefined;
    const namedAddresses = (): Set<string> => {
      if (named) return named;
      named = new Set<string>();
      for (const f of [
        ...[...ctx.project.policies.values()].map((p) => p.formula),
        ...[...ctx.project.groups.values()].flatMap((g) => (g.formula ? [g.formula] : [])),
      ])
        for (const atom of directAtoms(f))
          if (atom.sel === 'email' && typeof atom.args.email === 'string') named.add(atom.args.email);
      return named;
    };
    const probe = (domain: string): string => {
      for (let n = 1; ; n++) {
        const address = `${n === 1 ? 'anyone' : `anyone${n}`}@${domain}`;
        if (!namedAddresses().has(address)) return address;
      }
    };
    // Most conditions name no public domain: answered without walking them with their groups expanded.
    const isPublic = (a: Atom): boolean =>
      a.sel === 'email_domain' && typeof a.args.domain === 'string' && isPublicEmailDomain(a.args.domain);
    const reaching = groupsReaching(ctx.project, isPublic);
    for (const policy of ctx.project.policies.values()) {
      if (policy.decision !== 'allow' && policy.decision !== 'bypass') continue;
      if (!reachesAtom(policy.formula, isPublic, reaching)) continue;
      const seen = new Set<string>();
      visitAtoms(policy.formula, ctx.project, (v) => {
        const domain = v.atom.args.domain;
        if (v.atom.sel !== 'email_domain' || !v.positive || typeof domain !== 'string') return;
        if (!isPublicEmailDomain(domain) || seen.has(domain)) return;
        seen.add(domain);
        const fresh = { op: 'atom' as const, atom: { sel: 'email', args: { email: probe(domain) } } };
        const r = ctx.analyzer().satisfiable({ op: 'and', args: [policy.formula, fresh] });
        if (r.result === 'incomplete') {
          ctx.incomplete(policy.nameSpan, `the public-domain check of policy \`${policy.displayName}\``);
          return;
        }
        if (r.result === false) return; // the rest of the condition keeps arbitrary addresses out
        const witness = r.witness;
        ctx.report({
          messageId: 'domain',
          data: { policy: policy.displayName, domain, who: describeWho(witness) },
          span: v.via?.span ?? v.span ?? policy.exprSpan,
          witness,
          help: `name the people: \`email("…")\`, an email list or an IdP group instead of \`email_domain("${domain}")\``,
        });
      });
    }
  },
});
