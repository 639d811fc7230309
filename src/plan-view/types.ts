import type { AccessDiff } from '../access-diff/types.js';
import type { ManagedKind } from '../deploy/live.js';

/**
 * What a plan looks like to the people who review it, computed when the plan is made (from the code and the
 * account) and saved with it, so `aclc show plan.json` and `aclc apply plan.json` print the same review without
 * reading the account again. Data only; `render-human.ts` turns it into text.
 */
export interface PlanView {
  /** By change key: conditions and links in the `.acl` language, with names. */
  changes: Record<string, ChangeView>;
  /** One entry per app a change concerns, in the order of the code (apps the plan deletes last). */
  apps: AppView[];
  /** Changes to groups or policies several apps use: each with the apps it concerns. */
  shared: { key: string; apps: string[] }[];
  /** Changes that concern no app (a group or policy no app uses). */
  unused: string[];
  /** Objects changed outside aclc since it last applied them (their live state differs from what it wrote). */
  drift: ObjectRef[];
  /** Declared objects that exist in the account but were not created by aclc: an update takes them over. */
  adopt: ObjectRef[];
  /** Objects the code no longer declares that still decide access (kept; delete them with `--prune`). */
  orphans: Orphan[];
  /** Who gains and who loses access (`src/access-diff`), as computed when the plan was made; `aclc show` prints it. */
  access?: AccessDiff;
}

/** A group, policy or app of the account. */
export interface ObjectRef {
  kind: ManagedKind;
  name: string;
  id: string;
}

export interface Orphan extends ObjectRef {
  /** Why it still matters, e.g. `bypass policy linked by app "Old"`, `app serving old.example.com`. */
  why: string;
  /** Whether aclc created it (so `--prune` may delete it). */
  owned: boolean;
  /** What outside the code still uses it, so that `--prune` keeps it (a hand-made app linking the policy, …). */
  usedBy?: string;
  /** The zone of a zone-level object, as the code names it. */
  zone?: string;
}

export interface ChangeView {
  /** A group's or policy's condition: as the account has it (`before`) and as the plan writes it (`after`). */
  condition?: { before?: string; after?: string };
  /** A policy's decision (`allow`, `bypass`, …). */
  decision?: string;
  /** Rules added to and removed from each list of a group or policy, as selectors. */
  rules?: { list: 'include' | 'exclude' | 'require'; added: string[]; removed: string[] }[];
  /** An app's policy links in precedence order, as `<precedence>: "<policy name>"`. */
  links?: { before?: string[]; after?: string[] };
  /** For a zone-level app: `links` are its app-scoped policies, `<precedence>: "<name>" <decision> if <condition>`. */
  inline?: true;
}

export interface AppView {
  name: string;
  /** Changes that concern this app only (the app itself, policies and groups only it uses). */
  keys: string[];
  /** Changes listed under "shared" that also concern this app. */
  shared: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
const refs = (v: unknown): boolean =>
  Array.isArray(v) &&
  v.every(
    (r) => isObj(r) && typeof r.kind === 'string' && typeof r.name === 'string' && typeof r.id === 'string',
  );

/** Whether a saved plan's `view` has the shape the renderer reads (a saved plan is a file anyone can edit). */
export function isPlanView(v: unknown): v is PlanView {
  if (!isObj(v) || !isObj(v.changes)) return false;
  const changeOk = (c: unknown): boolean => {
    if (!isObj(c)) return false;
    if (c.condition !== undefined && !isObj(c.condition)) return false;
    if (isObj(c.condition))
      for (const side of ['before', 'after'])
        if (c.condition[side] !== undefined && typeof c.condition[side] !== 'string') return false;
    if (c.decision !== undefined && typeof c.decision !== 'string') return false;
    if (
      c.rules !== undefined &&
      !(Array.isArray(c.rules) && c.rules.every((r) => isObj(r) && strings(r.added) && strings(r.removed)))
    )
      return false;
    if (c.links !== undefined) {
      if (!isObj(c.links)) return false;
      if (c.links.before !== undefined && !strings(c.links.before)) return false;
      if (c.links.after !== undefined && !strings(c.links.after)) return false;
    }
    return true;
  };
  return (
    Object.values(v.changes).every(changeOk) &&
    Array.isArray(v.apps) &&
    v.apps.every((a) => isObj(a) && typeof a.name === 'string' && strings(a.keys) && strings(a.shared)) &&
    Array.isArray(v.shared) &&
    v.shared.every((s) => isObj(s) && typeof s.key === 'string' && strings(s.apps)) &&
    strings(v.unused) &&
    refs(v.drift) &&
    refs(v.adopt) &&
    refs(v.orphans) &&
    (v.orphans as unknown[]).every(
      (o) =>
        isObj(o) && typeof o.why === 'string' && (o.usedBy === undefined || typeof o.usedBy === 'string'),
    )
  );
}
