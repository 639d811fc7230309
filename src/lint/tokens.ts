import type { Span } from '../diagnostics/diagnostic.js';
import type { Atom } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import type { PolicyDef } from '../model/project.js';
import { selectorByName } from '../selectors/table.js';
import type { RuleContext } from './rule.js';
import { groupsReaching, reachesAtom, visitAtoms } from './walk.js';

const TOKEN_SELECTORS = new Set(['service_token', 'any_service_token']);
const isToken = (atom: Atom): boolean => TOKEN_SELECTORS.has(atom.sel);

/** A service token a policy's condition lets in, for the rules about tokens in the wrong kind of policy. */
export interface TokenMatch {
  /** Where the first token selector is written (the group reference when it comes through a group). */
  span: Span;
  /** A request with the token that the policy matches. */
  witness: Identity;
  /** Whether the condition also reads the user identity somewhere. */
  readsIdentity: boolean;
}

/**
 * The first service-token selector of `policy`'s condition (as included, not excluded) with a request carrying
 * the token that the policy matches; `undefined` when there is none, or when the token part can never match. An
 * incomplete question is counted (`ctx.incomplete`, as `what`) and gives `undefined`.
 */
export function tokenMatch(
  ctx: RuleContext<unknown>,
  policy: PolicyDef,
  what: string,
): TokenMatch | undefined {
  // Most conditions name no token at all: answered without walking them with their groups expanded.
  const reaching = ctx.shared('groups-reaching-tokens', () => groupsReaching(ctx.project, isToken));
  if (!reachesAtom(policy.formula, isToken, reaching)) return undefined;
  let token: Parameters<Parameters<typeof visitAtoms>[2]>[0] | undefined;
  let readsIdentity = false;
  visitAtoms(policy.formula, ctx.project, (v) => {
    if (!token && v.positive && TOKEN_SELECTORS.has(v.atom.sel)) token = v;
    if (selectorByName(v.atom.sel)?.identity) readsIdentity = true;
  });
  if (!token) return undefined;
  const r = ctx
    .analyzer()
    .satisfiable({ op: 'and', args: [policy.formula, { op: 'atom', atom: token.atom }] });
  if (r.result === 'incomplete') {
    ctx.incomplete(policy.nameSpan, what);
    return undefined;
  }
  if (r.result === false) return undefined; // the token part can never match: nothing to warn about
  return { span: token.via?.span ?? token.span ?? policy.exprSpan, witness: r.witness, readsIdentity };
}
