/**
 * Contract tests from Cloudflare's recorded responses (test/contract/fixtures/*.json, each citing its source).
 * For each recording: the account it shows is seeded into the emulator, which must answer it back field for field;
 * code matching it plans to no changes; an unrelated change applied over real HTTP loses no field; and the next
 * plan shows no changes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessClient } from '../../src/api/client.js';
import type { AccessApp } from '../../src/api/types.js';
import { executePlan } from '../../src/deploy/execute.js';
import { Ledger, ownershipOf } from '../../src/deploy/ledger.js';
import { isLegacyLink, type LiveState } from '../../src/deploy/live.js';
import { makePlan } from '../../src/deploy/plan.js';
import { managedFields } from '../../src/deploy/plan-fields.js';
import { readLive } from '../../src/deploy/read-live.js';
import { bodyRefs } from '../../src/emulator/refs.js';
import type { EmulatorHandle } from '../../src/emulator/server.js';
import type { CompiledProject, WireApp, WireGroup, WirePolicy } from '../../src/model/compiled.js';
import { createRedactor } from '../../src/redact/redactor.js';
import { call, emulators } from '../emulator/helpers.js';

type Json = Record<string, unknown>;

interface Fixture {
  source: string;
  what: string;
  kind: 'group' | 'policy' | 'app' | 'legacy';
  request: { method: string; path: string; body?: unknown };
  response: { status: number; result: Json | Json[] };
  /** Fields of the recording the emulator knowingly answers differently, with the reason. */
  differences?: Record<string, string>;
}

const dir = join(import.meta.dirname, 'fixtures');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, fx: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture }));

const LEGACY_APP = 'c0a7ac70-0000-4000-8000-00000000a990';
const emu = emulators();
const clients: AccessClient[] = [];
afterEach(async () => {
  while (clients.length) await (clients.pop() as AccessClient).close();
  await emu.closeAll();
});

const asList = (r: Json | Json[]): Json[] => (Array.isArray(r) ? r : [r]);
const pick = (o: Json, keys: ReadonlySet<string>): Json =>
  Object.fromEntries(Object.entries(o).filter(([k, v]) => keys.has(k) && v !== undefined && v !== null));

/** The account a recording shows, as a seed, with stubs for the account objects its rules name. */
function seedOf(fx: Fixture): Json {
  const objects = asList(fx.response.result);
  const seed: Record<string, Json[]> = {
    groups: [],
    policies: [],
    apps: [],
    app_policies: [],
    lists: [],
    identity_providers: [],
    service_tokens: [],
    posture_rules: [],
    // The tag the unrelated change adds (an app may carry only tags of the account); the tags the recorded apps
    // carry are added by the emulator, as Cloudflare answered those apps with them.
    tags: [{ name: 'contract-test' }],
  };
  const push = (k: string, o: Json) => (seed[k] as Json[]).push(o);
  if (fx.kind === 'group') for (const g of objects) push('groups', g);
  if (fx.kind === 'policy') for (const p of objects) push('policies', p);
  if (fx.kind === 'legacy') {
    push('apps', {
      id: LEGACY_APP,
      name: 'Contract app',
      type: 'self_hosted',
      domain: 'contract.example.com',
    });
    for (const p of objects) push('app_policies', { ...p, app_id: LEGACY_APP });
  }
  if (fx.kind === 'app') {
    for (const a of objects) {
      const links: Json[] = [];
      for (const entry of (a.policies as Json[] | undefined) ?? []) {
        if (isLegacyLink(entry as { reusable?: boolean })) push('app_policies', { ...entry, app_id: a.id });
        else {
          const { precedence, ...policy } = entry;
          if (!(seed.policies as Json[]).some((p) => p.id === policy.id)) push('policies', policy);
          links.push({ id: entry.id, precedence });
        }
      }
      push('apps', { ...a, policies: links });
    }
  }
  const have = (k: string, id: string) => (seed[k] as Json[]).some((o) => o.id === id);
  const ruled = [...(seed.groups as Json[]), ...(seed.policies as Json[]), ...(seed.app_policies as Json[])];
  for (const body of ruled) {
    for (const ref of bodyRefs(body)) {
      const stub = { id: ref.id, name: `stub ${ref.id}` };
      if (ref.target === 'groups' && !have('groups', ref.id))
        push('groups', { ...stub, include: [{ everyone: {} }] });
      if (ref.target === 'email_lists' && !have('lists', ref.id)) push('lists', { ...stub, type: 'EMAIL' });
      if (ref.target === 'ip_lists' && !have('lists', ref.id)) push('lists', { ...stub, type: 'IP' });
      if (ref.target === 'identity_providers' && !have('identity_providers', ref.id))
        push('identity_providers', { ...stub, type: 'okta', config: {} });
      if (ref.target === 'service_tokens' && !have('service_tokens', ref.id)) push('service_tokens', stub);
      if (ref.target === 'posture_rules' && !have('posture_rules', ref.id))
        push('posture_rules', { ...stub, type: 'warp' });
    }
  }
  return seed;
}

/** Where each recorded object is read back. */
function pathOf(fx: Fixture, o: Json): string {
  if (fx.kind === 'legacy') return `/access/apps/${LEGACY_APP}/policies/${String(o.id)}`;
  return `/access/${fx.kind === 'app' ? 'apps' : fx.kind === 'group' ? 'groups' : 'policies'}/${String(o.id)}`;
}

/** Every recorded field the emulator answers back, the same (app policy entries: each recorded field). */
function expectAnsweredLike(fx: Fixture, recorded: Json, answered: Json): void {
  for (const [field, value] of Object.entries(recorded)) {
    if (fx.differences?.[field] !== undefined) continue;
    if (field === 'policies' && Array.isArray(value)) {
      const got = answered.policies as Json[];
      expect(got.map((p) => p.id)).toEqual(value.map((p) => (p as Json).id));
      value.forEach((p, i) => {
        for (const [k, v] of Object.entries(p as Json)) {
          if (k === 'app_count') continue; // counts apps in the seeded account, not in the recorder's
          expect([field, i, k, got[i]?.[k]]).toEqual([field, i, k, v]);
        }
      });
      continue;
    }
    expect([field, answered[field]]).toEqual([field, value]);
  }
}

/** Code that matches the live account: the managed fields of every object the recording holds, by name. */
function documentOf(fx: Fixture, live: LiveState): CompiledProject {
  const ids = new Set(asList(fx.response.result).map((o) => o.id));
  // Same-named objects (a recording holds two policies named alike): the first is declared, and the ledger says
  // it is aclc's, which is how aclc tells them apart.
  const unique = <T extends { name: string }>(xs: T[]) =>
    xs.filter((x, i) => xs.findIndex((y) => y.name === x.name) === i);
  const doc: CompiledProject = { groups: [], policies: [], apps: [] } as unknown as CompiledProject;
  const reusable = new Set(live.policies.map((p) => p.id));
  if (fx.kind === 'group')
    doc.groups = unique(live.groups.filter((g) => ids.has(g.id))).map(
      (g) => pick(g as unknown as Json, managedFields('group')) as unknown as WireGroup,
    );
  const apps = unique(live.apps.filter((a) => ids.has(a.id) || a.id === LEGACY_APP));
  const linked = new Set(
    apps.flatMap((a) => a.policies.filter((l) => !isLegacyLink(l, reusable)).map((l) => l.id)),
  );
  doc.policies = unique(
    live.policies.filter((p) => (fx.kind === 'policy' && ids.has(p.id)) || linked.has(p.id)),
  ).map((p) => pick(p as unknown as Json, managedFields('policy')) as unknown as WirePolicy);
  doc.apps = apps.map((a: AccessApp) => {
    const body = pick(a as unknown as Json, managedFields('app'));
    body.type ??= 'self_hosted'; // the compiler always writes the type; old recordings answer without it
    body.policies = a.policies
      .filter((l) => !isLegacyLink(l, reusable))
      .map((l) => ({
        id: `$ref:policy:${String(live.policies.find((p) => p.id === l.id)?.name)}`,
        precedence: l.precedence,
      }));
    return body as unknown as WireApp;
  });
  return doc;
}

function plan(e: EmulatorHandle, document: CompiledProject, live: LiveState) {
  const ledger = new Ledger();
  for (const [kind, list] of [
    ['group', live.groups],
    ['policy', live.policies],
    ['app', live.apps],
  ] as const) {
    const declared = new Set(
      (kind === 'group' ? document.groups : kind === 'policy' ? document.policies : document.apps).map(
        (o) => o.name,
      ),
    );
    for (const o of list) {
      if (!declared.has(o.name)) continue;
      declared.delete(o.name);
      ledger.recordCreated(e.accountId, kind, o.id, o.name, '2025-01-01T00:00:00Z');
    }
  }
  return makePlan({
    accountId: e.accountId,
    document,
    live,
    ownership: ownershipOf(ledger, e.accountId),
    prune: false,
    spans: new Map(),
    fingerprint: '',
    reads: [],
  });
}

/** An unrelated change to the code: a tag on an app, else a session on a policy, else a rule on a group. */
function changed(doc: CompiledProject): { doc: CompiledProject; field: string } {
  const next = structuredClone(doc);
  const app = next.apps[0] as (WireApp & { tags?: string[] }) | undefined;
  if (app) {
    app.tags = [...(app.tags ?? []), 'contract-test'];
    return { doc: next, field: 'tags' };
  }
  const policy = next.policies[0] as (WirePolicy & { session_duration?: string }) | undefined;
  if (policy) {
    policy.session_duration = '7h';
    return { doc: next, field: 'session_duration' };
  }
  const group = next.groups[0] as WireGroup;
  group.include = [...group.include, { email: { email: 'contract@example.com' } }];
  return { doc: next, field: 'include' };
}

describe('contract: recorded Cloudflare responses', () => {
  it('holds at least 20 recordings, each citing its source', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    const kinds = new Set(fixtures.map(({ fx }) => fx.kind));
    expect([...kinds].sort()).toEqual(['app', 'group', 'legacy', 'policy']);
    const types = new Set(
      fixtures
        .filter(({ fx }) => fx.kind === 'app')
        .flatMap(({ fx }) => asList(fx.response.result).map((a) => a.type)),
    );
    expect(types.size).toBeGreaterThanOrEqual(4);
    for (const { file, fx } of fixtures) {
      expect([file, fx.source]).toEqual([
        file,
        expect.stringMatching(/^https:\/\/github\.com\/cloudflare\/[^ ]+\/blob\/[0-9a-f]{40}\//),
      ]);
      expect([file, typeof fx.what, fx.request.method]).toEqual([
        file,
        'string',
        expect.stringMatching(/^(GET|POST|PUT)$/),
      ]);
    }
  });

  for (const { file, fx } of fixtures) {
    it(`${file}: answered back, plans to no changes, loses no field on an update`, async () => {
      const e = await emu.start({ seed: seedOf(fx) });
      const client = new AccessClient({
        baseUrl: e.url,
        accountId: e.accountId,
        auth: { token: e.token },
        backoff: { baseMs: 1, capMs: 5 },
        redactor: createRedactor(),
      });
      clients.push(client);
      const objects = asList(fx.response.result);

      // 1. The emulator answers the recorded objects back as Cloudflare did.
      const before = new Map<string, Json>();
      for (const o of objects) {
        const answer = await call(e, 'GET', pathOf(fx, o));
        expect(answer.status).toBe(200);
        expectAnsweredLike(fx, o, answer.body.result);
        before.set(String(o.id), answer.body.result);
      }

      // 2. Code matching the account plans to no changes.
      const live = await readLive(client, []);
      const doc = documentOf(fx, live);
      const first = plan(e, doc, live);
      expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(first.plan.changes.map((c) => [c.action, c.name, 'diff' in c ? c.diff : []])).toEqual([]);

      // 3. An unrelated change, applied over HTTP, keeps every other field of every object.
      const { doc: next, field } = changed(doc);
      const second = plan(e, next, live);
      expect(second.plan.summary).toEqual({ create: 0, update: 1, delete: 0 });
      const result = await executePlan(second.plan, client, {
        accountId: e.accountId,
        ledger: new Ledger(),
        saveLedger: async () => undefined,
      });
      expect(result.failure?.error).toBeUndefined();
      for (const o of objects) {
        const now = (await call(e, 'GET', pathOf(fx, o))).body.result as Json;
        const was = before.get(String(o.id)) as Json;
        for (const k of new Set([...Object.keys(was), ...Object.keys(now)])) {
          // the changed field, the write time, and fields aclc adds (`type` on an app answered without one)
          if (k === field || k === 'updated_at' || was[k] === undefined) continue;
          expect([k, now[k]]).toEqual([k, was[k]]);
        }
      }
      if (fx.kind === 'legacy') {
        const legacy = (await call(e, 'GET', `/access/apps/${LEGACY_APP}/policies`)).body.result as Json[];
        expect(legacy.map((p) => p.id).sort()).toEqual(objects.map((o) => o.id).sort());
      }

      // 4. The next plan shows no changes.
      const after = plan(e, next, await readLive(client, []));
      expect(after.plan.changes.map((c) => [c.action, c.name, 'diff' in c ? c.diff : []])).toEqual([]);
    });
  }
});
