import type { LiveState } from '../../src/deploy/live.js';
import { readLive } from '../../src/deploy/read-live.js';
import { E } from '../../src/emulator/codes.js';
import { emptyState } from '../../src/emulator/state.js';
import { Store, type StoreRequest } from '../../src/emulator/store.js';
import { cloudflareValidators } from '../../src/emulator/validators.js';
import { FakeApiError } from './helpers.js';

/**
 * The faithful emulator's account (the same `Store` `aclc emulator` serves, without HTTP): Cloudflare's defaults,
 * computed fields, PUT semantics and legacy policies, with deterministic ids and failure injection like
 * `FakeAccount`'s.
 */
export class EmulatedAccount {
  private seq = 0;
  readonly store = new Store(emptyState(), {
    validators: cloudflareValidators(),
    now: () => '2025-01-01T00:00:00.000Z',
    newId: () => `00000000-0000-4000-8000-${String(++this.seq).padStart(12, '0')}`,
    hex: (bytes) => 'ab'.repeat(bytes),
  });
  writes = 0;
  /** Called before each write; return `'before'` to fail without effect, `'after'` to fail after the effect. */
  fail: (op: string) => 'before' | 'after' | undefined = () => undefined;

  private send(method: string, segments: string[], body?: unknown): unknown {
    const req: StoreRequest = {
      method,
      segments,
      query: new URLSearchParams(),
      body,
      path: segments.join('/'),
    };
    const reply = this.store.handle(req);
    if (reply.status >= 400) {
      const errors = reply.errors ?? E.internal().errors;
      throw new FakeApiError(
        errors.map((e) => e.message).join('; '),
        errors.map((e) => e.code),
      );
    }
    return structuredClone(reply.result);
  }

  private write(op: string, effect: () => unknown): Promise<never> {
    this.writes++;
    const mode = this.fail(op);
    if (mode === 'before') return Promise.reject(new FakeApiError(`injected failure before ${op}`));
    try {
      const value = effect();
      if (mode === 'after') return Promise.reject(new FakeApiError(`injected failure after ${op}`));
      return Promise.resolve(value as never);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private crud(path: string) {
    const segs = path.split('/');
    return {
      list: async () => this.send('GET', segs) as never[],
      create: (body: never) => this.write(`create ${path}`, () => this.send('POST', segs, body)),
      update: (id: string, body: never) =>
        this.write(`update ${path}`, () => this.send('PUT', [...segs, id], body)),
      delete: (id: string) => this.write(`delete ${path}`, () => this.send('DELETE', [...segs, id])),
    };
  }

  readonly groups = this.crud('access/groups');
  readonly policies = this.crud('access/policies');
  readonly apps = this.crud('access/apps');
  readonly appPolicies = {
    makeReusable: (app: string, id: string) =>
      this.write('make_reusable', () =>
        this.send('PUT', ['access', 'apps', app, 'policies', id, 'make_reusable']),
      ),
  };
  readonly identityProviders = this.crud('access/identity_providers');
  readonly serviceTokens = this.crud('access/service_tokens');
  readonly lists = this.crud('gateway/lists');
  readonly postureRules = this.crud('devices/posture');

  live(): Promise<LiveState> {
    return readLive(this, ['idps', 'serviceTokens', 'lists', 'postureRules']);
  }

  names(kind: 'groups' | 'policies' | 'apps'): string[] {
    return this.store.state[kind].map((r) => String(r.name)).sort();
  }
}
