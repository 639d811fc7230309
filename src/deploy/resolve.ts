import { diagnostic, didYouMean } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { RefKind } from '../model/formula.js';
import { isPlaceholder, refFromWire } from '../selectors/wire.js';
import type { LiveState } from './live.js';
import { refIndexKey } from './references.js';

/** How messages name each kind of account object. */
export const KIND_NOUN: Readonly<Record<RefKind, [singular: string, plural: string]>> = {
  group: ['group', 'groups'],
  idp: ['identity provider', 'identity providers'],
  email_list: ['email list', 'email lists'],
  ip_list: ['IP list', 'IP lists'],
  service_token: ['service token', 'service tokens'],
  device_posture: ['device posture check', 'device posture checks'],
  app: ['app', 'apps'],
  policy: ['policy', 'policies'],
};

/** The account collection a reference of each kind resolves in, as `(name, id)` pairs. */
export function accountObjects(live: LiveState, kind: RefKind): { name: string; id: string }[] {
  switch (kind) {
    case 'group':
      return live.groups;
    case 'policy':
      return live.policies;
    case 'app':
      // `linked_app_token` takes the app's `uid`, which Cloudflare makes equal to its id.
      return live.apps.map((a) => ({ name: a.name, id: a.uid ?? a.id }));
    case 'idp':
      return live.idps ?? [];
    case 'service_token':
      return live.serviceTokens ?? [];
    case 'device_posture':
      return live.postureRules ?? [];
    case 'email_list':
      return (live.lists ?? []).filter((l) => l.type === 'EMAIL');
    case 'ip_list':
      return (live.lists ?? []).filter((l) => l.type === 'IP');
  }
}

/** The account-object kinds a document refers to by placeholder (so `plan` reads only those collections). */
export function referencedKinds(value: unknown): Set<RefKind> {
  const kinds = new Set<RefKind>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (isPlaceholder(v)) kinds.add(refFromWire('group', v).kind);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return kinds;
}

export interface ResolveContext {
  live: LiveState;
  /** Managed objects by kind: code name → live id when it exists (undefined: created by this apply). */
  managed: {
    group: ReadonlyMap<string, string | undefined>;
    policy: ReadonlyMap<string, string | undefined>;
    /** `ip_list:<name>` / `email_list:<name>` of the declared lists this apply creates. */
    lists?: ReadonlySet<string>;
  };
  /** Where the source names each account object (`referenceSpans`). */
  spans: ReadonlyMap<string, Span>;
  /** Span for references whose source location is unknown. */
  fallback: Span;
}

/**
 * Replaces every `$ref:<kind>:<name>` placeholder of a request body by the id of the account object it names.
 * References to groups and policies the code declares resolve to their live id, or stay placeholders when this
 * apply creates them (the executor substitutes the new id). An unknown or ambiguous account object is reported
 * once per name, at the reference in the source.
 */
export class PlaceholderResolver {
  readonly diagnostics: Diagnostic[] = [];
  private readonly reported = new Set<string>();
  private readonly index = new Map<RefKind, Map<string, string[]>>();

  constructor(private readonly ctx: ResolveContext) {}

  resolve<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return isPlaceholder(v) ? this.resolveOne(v) : v;
    if (Array.isArray(v)) return v.map((x) => this.walk(x));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.walk(x);
      return out;
    }
    return v;
  }

  private ids(kind: RefKind): Map<string, string[]> {
    let byName = this.index.get(kind);
    if (!byName) {
      byName = new Map();
      for (const o of accountObjects(this.ctx.live, kind)) {
        const list = byName.get(o.name);
        if (list) list.push(o.id);
        else byName.set(o.name, [o.id]);
      }
      this.index.set(kind, byName);
    }
    return byName;
  }

  private resolveOne(text: string): string {
    const ref = refFromWire('group', text);
    const name = ref.name ?? '';
    if (ref.kind === 'group' || ref.kind === 'policy') {
      const managed = this.ctx.managed[ref.kind];
      if (managed.has(name)) return managed.get(name) ?? text;
    }
    if (this.ctx.managed.lists?.has(`${ref.kind}:${name}`)) return text;
    const found = this.ids(ref.kind).get(name) ?? [];
    if (found.length === 1) return found[0] as string;
    const key = refIndexKey(ref.kind, name);
    if (!this.reported.has(key)) {
      this.reported.add(key);
      const span = this.ctx.spans.get(key) ?? this.ctx.fallback;
      const [singular, plural] = KIND_NOUN[ref.kind];
      if (found.length === 0) {
        const known = [...this.ids(ref.kind).keys()];
        const fallback = known.length
          ? `create it in the account or fix the name; refer to an object by id with \`id("…")\``
          : `the account has no ${plural}; create it there first`;
        this.diagnostics.push(
          diagnostic('ACL0850', span, {
            kind: singular,
            name,
            suggestion: didYouMean(name, known, fallback),
          }),
        );
      } else {
        this.diagnostics.push(diagnostic('ACL0851', span, { count: found.length, kinds: plural, name }));
      }
    }
    return text;
  }
}
