/**
 * How many distinct values each single-valued attribute will need, counted from the formulas a run is about to ask
 * questions about, so the first layout is wide enough for all of them.
 *
 * Without it, the layout is sized from the values seen so far and widens (a fresh manager, every cached BDD
 * dropped) each time an attribute outgrows it: about log2(n) times per attribute, each time re-encoding everything
 * encoded so far. On 120,000 policies that was ten resets, the last ones after most of the work. Counting only
 * sizes the fields: codes are still given out when a value is first encoded, so answers and witnesses do not
 * depend on the count (a count that misses values only means the layout widens as before).
 */

import type { Atom, Formula } from '../model/formula.js';
import { atomKeyArg, atomListMembers, atomStr } from './atom-args.js';
import { domainOf } from './theory.js';

/** Distinct values per single-valued attribute (emails: the most addresses of any one domain). */
export interface DomainSizes {
  serviceTokens: number;
  logins: number;
  domains: number;
  locals: number;
  countries: number;
  linkedApps: number;
  commonNames: number;
  /** Atoms met (a group's counted once): how much there is to encode. */
  atoms: number;
}

type Sets = {
  [K in Exclude<keyof DomainSizes, 'atoms'>]: K extends 'locals' ? Map<string, Set<string>> : Set<string>;
};

function email(sets: Sets, address: string): void {
  const domain = domainOf(address);
  sets.domains.add(domain);
  let locals = sets.locals.get(domain);
  if (!locals) {
    locals = new Set();
    sets.locals.set(domain, locals);
  }
  locals.add(address);
}

/** Registers the values one atom encodes with (mirrors `Layout.encodeAtom`). */
function visitAtom(sets: Sets, atom: Atom): void {
  const a = atom.args;
  switch (atom.sel) {
    case 'email':
      email(sets, atomStr(a, 'email'));
      return;
    case 'email_domain':
      sets.domains.add(atomStr(a, 'domain'));
      return;
    case 'email_list':
      for (const m of atomListMembers(a) ?? []) email(sets, m);
      return;
    case 'country':
      sets.countries.add(atomStr(a, 'country_code'));
      return;
    case 'service_token':
      sets.serviceTokens.add(atomKeyArg(a, 'token_id'));
      return;
    case 'common_name':
      sets.commonNames.add(atomStr(a, 'common_name'));
      return;
    case 'login_method':
      sets.logins.add(atomKeyArg(a, 'id'));
      return;
    case 'azure_group':
    case 'gsuite_group':
    case 'okta_group':
    case 'github_org':
    case 'saml':
    case 'oidc':
    case 'auth_context':
      sets.logins.add(atomKeyArg(a, 'identity_provider_id'));
      return;
    case 'linked_app_token':
      sets.linkedApps.add(atomKeyArg(a, 'app_uid'));
      return;
    default:
  }
}

/** Sub-formulas the count visits at most (a hint needs no more; the layout still widens past it). */
const MAX_VISITS = 16_000_000;

/**
 * The sizes the values of `formulas` (and of the groups they use, expanded once each) need. Iterative, linear in
 * the formulas' size.
 */
export function countValues(
  formulas: Iterable<Formula>,
  groups: (name: string) => Formula | undefined,
): DomainSizes {
  const sets: Sets = {
    serviceTokens: new Set(),
    logins: new Set(),
    domains: new Set(),
    locals: new Map(),
    countries: new Set(),
    linkedApps: new Set(),
    commonNames: new Set(),
  };
  // Formulas are trees but for groups (expanded once each); `visits` bounds the walk of any other sharing.
  const groupsSeen = new Set<string>();
  const stack: Formula[] = [];
  let atoms = 0;
  let visits = 0;
  for (const root of formulas) {
    if (visits >= MAX_VISITS) break;
    stack.push(root);
    for (let f = stack.pop(); f && visits < MAX_VISITS; f = stack.pop(), visits++) {
      switch (f.op) {
        case 'atom':
          atoms++;
          visitAtom(sets, f.atom);
          break;
        case 'not':
          stack.push(f.arg);
          break;
        case 'and':
        case 'or':
          for (const arg of f.args) stack.push(arg);
          break;
        case 'group': {
          if (groupsSeen.has(f.name)) break;
          groupsSeen.add(f.name);
          const body = groups(f.name);
          if (body) stack.push(body);
          break;
        }
        default:
      }
    }
  }
  let locals = 0;
  for (const s of sets.locals.values()) locals = Math.max(locals, s.size);
  return {
    serviceTokens: sets.serviceTokens.size,
    logins: sets.logins.size,
    domains: sets.domains.size,
    locals,
    countries: sets.countries.size,
    linkedApps: sets.linkedApps.size,
    commonNames: sets.commonNames.size,
    atoms,
  };
}
