import { createHash } from 'node:crypto';
import {
  canonicalApp,
  canonicalGroup,
  canonicalLinks,
  canonicalPolicy,
  stableStringify,
} from './canonical.js';
import type { ManagedKind } from './live.js';

/**
 * `sha256:<hex>` of an object in canonical form (the form plans compare), as aclc last wrote it. The ledger keeps it
 * per id after every create and update, so the next plan can tell a change made outside aclc (the live object no
 * longer hashes to what aclc applied) from a change of the code. Only the hash is kept: the ledger holds no bodies.
 */
export function appliedHash(kind: ManagedKind, obj: Record<string, unknown>): string {
  let canon: unknown;
  if (kind === 'group') canon = canonicalGroup(obj);
  else if (kind === 'policy') canon = canonicalPolicy(obj);
  else {
    const list = Array.isArray(obj.policies) ? (obj.policies as { id: string; precedence: unknown }[]) : [];
    canon = [
      canonicalApp(obj),
      canonicalLinks(list.map((l) => ({ id: l.id, precedence: Number(l.precedence) }))),
    ];
  }
  return `sha256:${createHash('sha256').update(stableStringify(canon)).digest('hex')}`;
}
