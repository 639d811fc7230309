import type { AccessApp, AccessGroup, AppPolicyRef, ReusablePolicy } from '../../src/api/types.js';
import { compileProject } from '../../src/compiler/compile.js';
import { type DeployApi, executePlan } from '../../src/deploy/execute.js';
import { fingerprintLive } from '../../src/deploy/fingerprint.js';
import { Ledger, ownershipOf } from '../../src/deploy/ledger.js';
import type { LiveState } from '../../src/deploy/live.js';
import { makePlan, type Plan } from '../../src/deploy/plan.js';
import type { LiveApi } from '../../src/deploy/read-live.js';
import { readLive } from '../../src/deploy/read-live.js';
import { reconcileLedger } from '../../src/deploy/reconcile.js';
import { referenceSpans } from '../../src/deploy/references.js';
import { declarationSpans } from '../../src/deploy/workflow.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { CompiledProject } from '../../src/model/compiled.js';
import type { Project } from '../../src/model/project.js';
import { analyzeSources } from '../../src/pipeline.js';

export const ACCOUNT = '0123456789abcdef0123456789abcdef';

/** Compile in-memory sources; throws on errors (tests write valid code). */
export function compileText(
  text: string,
  file = 'main.acl',
): { project: Project; document: CompiledProject; files: SourceFile[] } {
  const files = [new SourceFile(file, text)];
  const analyzed = analyzeSources(files);
  const compiled = compileProject(analyzed.project);
  const diagnostics = [...analyzed.diagnostics, ...compiled.diagnostics];
  if (hasErrors(diagnostics)) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return { project: analyzed.project, document: compiled.value.document, files };
}

/** An error with Cloudflare-style codes, like the client's ApiError. */
export class FakeApiError extends Error {
  constructor(
    message: string,
    readonly codes: number[] = [],
  ) {
    super(message);
  }
}

type Rec = Record<string, unknown> & { id: string; name: string };

/**
 * An in-memory account with the API's referential rules (unknown group or policy refused, in-use objects not
 * deletable, unique precedences per app), write counting and failure injection.
 */
export class FakeAccount implements DeployApi, LiveApi {
  readonly data = {
    groups: new Map<string, Rec>(),
    policies: new Map<string, Rec>(),
    apps: new Map<string, Rec>(),
    idps: new Map<string, Rec>(),
    tokens: new Map<string, Rec>(),
    lists: new Map<string, Rec>(),
    posture: new Map<string, Rec>(),
  };
  writes = 0;
  reads = 0;
  private seq = 0;
  /** Called before each write; return `'before'` to fail without effect, `'after'` to fail after the effect. */
  fail: (op: string) => 'before' | 'after' | undefined = () => undefined;

  newId(): string {
    this.seq++;
    return `id-${String(this.seq).padStart(4, '0')}`;
  }

  seed(kind: keyof FakeAccount['data'], obj: Record<string, unknown> & { name: string }): string {
    const id = (obj.id as string | undefined) ?? this.newId();
    this.data[kind].set(id, { ...obj, id });
    return id;
  }

  private groupRefsOk(body: Rec): void {
    for (const list of ['include', 'exclude', 'require']) {
      for (const rule of (body[list] as Record<string, { id?: string }>[]) ?? []) {
        const id = rule.group?.id;
        if (id !== undefined && !this.data.groups.has(id))
          throw new FakeApiError(`group ${id} does not exist`, [11020]);
      }
    }
  }

  private appOk(body: Rec, self?: string): void {
    if (!Array.isArray(body.policies)) throw new FakeApiError('policies must be an array', [12130]);
    const links = body.policies as { id: string; precedence: number }[];
    for (const l of links)
      if (!this.data.policies.has(l.id)) throw new FakeApiError(`policy ${l.id} does not exist`, [12130]);
    if (new Set(links.map((l) => l.precedence)).size !== links.length)
      throw new FakeApiError('policy precedences must be unique', [12130]);
    for (const a of this.data.apps.values())
      if (a.id !== self && a.domain === body.domain)
        throw new FakeApiError('application already exists', [11010]);
  }

  private write<T>(op: string, effect: () => T): Promise<T> {
    this.writes++;
    const mode = this.fail(op);
    if (mode === 'before') return Promise.reject(new FakeApiError(`injected failure before ${op}`));
    const value = effect();
    if (mode === 'after') return Promise.reject(new FakeApiError(`injected failure after ${op}`));
    return Promise.resolve(value);
  }

  private crud(kind: 'groups' | 'policies' | 'apps') {
    const table = this.data[kind];
    const check = (body: Rec, self?: string) =>
      kind === 'apps' ? this.appOk(body, self) : this.groupRefsOk(body);
    return {
      list: async () => {
        this.reads++;
        return [...table.values()].map((r) => structuredClone(r)) as never[];
      },
      create: (body: never) =>
        this.write(`create ${kind}`, () => {
          const rec = { ...(body as Rec), id: this.newId(), created_at: '2025-01-01T00:00:00Z' };
          check(rec);
          table.set(rec.id, rec);
          return structuredClone(rec);
        }),
      update: (id: string, body: never) =>
        this.write(`update ${kind}`, () => {
          if (!table.has(id)) throw new FakeApiError('not found', [7003]);
          const rec = { ...(body as Rec), id };
          check(rec, id);
          table.set(id, rec);
          return structuredClone(rec);
        }),
      delete: (id: string) =>
        this.write(`delete ${kind}`, () => {
          if (!table.has(id)) throw new FakeApiError('not found', [7003]);
          if (this.inUse(kind, id)) throw new FakeApiError(`${kind} ${id} is in use`, [12131]);
          table.delete(id);
          return { id };
        }),
    };
  }

  private inUse(kind: string, id: string): boolean {
    if (kind === 'policies')
      return [...this.data.apps.values()].some((a) =>
        (a.policies as { id: string }[]).some((l) => l.id === id),
      );
    if (kind === 'groups') {
      const uses = (r: Rec) =>
        ['include', 'exclude', 'require'].some((k) =>
          ((r[k] as Record<string, { id?: string }>[]) ?? []).some((x) => x.group?.id === id),
        );
      return [...this.data.groups.values(), ...this.data.policies.values()].some(uses);
    }
    return false;
  }

  readonly groups = this.crud('groups');
  readonly policies = this.crud('policies');
  readonly apps = this.crud('apps');
  readonly appPolicies = { makeReusable: async (_app: string, id: string) => ({ id }) };
  readonly identityProviders = { list: async () => [...this.data.idps.values()] as never[] };
  readonly serviceTokens = { list: async () => [...this.data.tokens.values()] as never[] };
  readonly lists = { list: async () => [...this.data.lists.values()] as never[] };
  readonly postureRules = { list: async () => [...this.data.posture.values()] as never[] };

  /** The live state as the API shows it: app links expanded with policy names, as Cloudflare does. */
  async live(): Promise<LiveState> {
    const live = await readLive(this, ['idps', 'serviceTokens', 'lists', 'postureRules']);
    live.apps = live.apps.map((a) => ({
      ...a,
      policies: a.policies.map(
        (l) => ({ ...l, name: this.data.policies.get(l.id)?.name, reusable: true }) as AppPolicyRef,
      ),
    }));
    return live;
  }

  counts(): { groups: number; policies: number; apps: number } {
    return { groups: this.data.groups.size, policies: this.data.policies.size, apps: this.data.apps.size };
  }

  names(kind: 'groups' | 'policies' | 'apps'): string[] {
    return [...this.data[kind].values()].map((r) => r.name).sort();
  }
}

export type { AccessApp, AccessGroup, ReusablePolicy };

/** What the deploy helpers need from an account: `FakeAccount`, or the emulator's `EmulatedAccount`. */
export interface TestAccount extends DeployApi {
  live(): Promise<LiveState>;
}

/** Plan the compiled text against the fake account. */
export async function planAgainst(
  account: TestAccount,
  text: string,
  options: { prune?: boolean; ledger?: Ledger } = {},
): Promise<{
  plan: Plan;
  diagnostics: ReturnType<typeof makePlan>['diagnostics'];
  live: LiveState;
  project: Project;
}> {
  const { project, document } = compileText(text);
  const live = await account.live();
  // As `planFromSources` does: the ledger is first reconciled with the account (by identity only).
  if (options.ledger) reconcileLedger(options.ledger, ACCOUNT, live);
  const made = makePlan({
    accountId: ACCOUNT,
    document,
    live,
    ownership: ownershipOf(options.ledger, ACCOUNT, live),
    prune: options.prune === true,
    spans: referenceSpans(project),
    declarations: declarationSpans(project, document),
    fingerprint: fingerprintLive(live),
    reads: ['idps', 'serviceTokens', 'lists', 'postureRules'],
  });
  return { ...made, live, project };
}

/** Plan and apply; returns the plan and the executor's result. */
export async function applyText(
  account: TestAccount,
  text: string,
  options: { prune?: boolean; ledger?: Ledger; concurrency?: number } = {},
) {
  const ledger = options.ledger ?? new Ledger();
  const { plan, diagnostics } = await planAgainst(account, text, { ...options, ledger });
  if (hasErrors(diagnostics)) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const result = await executePlan(plan, account, {
    accountId: ACCOUNT,
    ledger,
    saveLedger: async () => undefined,
    concurrency: options.concurrency ?? 3,
    now: () => '2025-01-01T00:00:00Z',
  });
  return { plan, result, ledger };
}
