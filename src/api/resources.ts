import type { WireGroup, WirePolicy } from '../model/compiled.js';
import type { Redactor } from '../redact/redactor.js';
import type { CallRequest, CallResult } from './call.js';
import type { ResultInfo } from './envelope.js';
import { ApiError } from './errors.js';
import type {
  AccessApp,
  AccessGroup,
  AppBody,
  AppScopedPolicy,
  GatewayList,
  GatewayListBody,
  GatewayListItem,
  IdentityProvider,
  IdentityProviderBody,
  PostureRule,
  PostureRuleBody,
  ReusablePolicy,
  ServiceToken,
  ServiceTokenBody,
  Stored,
} from './types.js';

/** What the resources need from the client (kept narrow so they can be tested against a fake). */
export interface Requester {
  readonly redactor: Redactor;
  call(req: CallRequest): Promise<CallResult>;
  listAll(path: string, perPage: number | undefined, object: string): Promise<unknown[]>;
  scopePath(zoneCapable: boolean, operation: string): string;
}

/** Largest page sizes the API allows (Cloudflare's docs): groups, apps, reusable and app policies. */
export const MAX_PER_PAGE = { groups: 1000, apps: 1000, policies: 1000, appPolicies: 1000 } as const;

interface Spec {
  /** Singular noun for messages, e.g. `group`. */
  kind: string;
  /** Path below the scope, e.g. `/access/groups`. */
  segment: string;
  /** Whether the resource also exists at zone scope. */
  zone: boolean;
  /** Page size to ask for; `undefined` = the API's default (pages are still followed). */
  perPage?: number;
}

function objectResult<T>(
  result: unknown,
  req: { method: string; path: string; object?: string },
  redactor: Redactor,
): T {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new ApiError({ kind: 'envelope', ...req, reason: '`result` is not an object' }, redactor);
  }
  return result as T;
}

function newest<T extends Stored>(items: T[]): T | undefined {
  return [...items].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))[0];
}

/** list / get / create / update / delete of one kind of named object. */
export class Collection<T extends Stored & { name: string }, B extends { name: string }> {
  constructor(
    protected readonly client: Requester,
    protected readonly spec: Spec,
  ) {}

  /** Path of the collection, e.g. `/accounts/abc/access/groups`. */
  base(): string {
    return this.client.scopePath(this.spec.zone, this.spec.segment) + this.spec.segment;
  }

  protected item(id: string): string {
    return `${this.base()}/${encodeURIComponent(id)}`;
  }

  /** Every object, following pagination to the end. */
  async list(): Promise<T[]> {
    return (await this.client.listAll(this.base(), this.spec.perPage, plural(this.spec.kind))) as T[];
  }

  async get(id: string): Promise<T> {
    const req = { method: 'GET' as const, path: this.item(id), object: `${this.spec.kind} ${id}` };
    return objectResult<T>((await this.client.call(req)).result, req, this.client.redactor);
  }

  /**
   * Create. If an attempt fails ambiguously (timeout, reset, 5xx), the collection is searched for an object of the
   * same name before sending again, so a retried create never makes a duplicate.
   */
  async create(body: B): Promise<T> {
    const req: CallRequest = {
      method: 'POST',
      path: this.base(),
      body,
      object: `${this.spec.kind} "${body.name}"`,
      findExisting: () => this.findByName(body.name),
    };
    return this.afterWrite(objectResult<T>((await this.client.call(req)).result, req, this.client.redactor));
  }

  async update(id: string, body: B): Promise<T> {
    const req: CallRequest = {
      method: 'PUT',
      path: this.item(id),
      body,
      object: `${this.spec.kind} "${body.name}"`,
    };
    return this.afterWrite(objectResult<T>((await this.client.call(req)).result, req, this.client.redactor));
  }

  async delete(id: string): Promise<{ id: string }> {
    const req: CallRequest = { method: 'DELETE', path: this.item(id), object: `${this.spec.kind} ${id}` };
    const { result } = await this.client.call(req);
    const found = result as { id?: unknown } | null;
    return { id: typeof found?.id === 'string' ? found.id : id };
  }

  /** The newest object with exactly this name, if any. */
  async findByName(name: string): Promise<T | undefined> {
    return newest((await this.list()).filter((x) => x.name === name));
  }

  protected afterWrite(value: T): T {
    return value;
  }
}

/** Service tokens: the secret returned by a create is registered with the redactor so it is never printed. */
export class ServiceTokens extends Collection<ServiceToken, ServiceTokenBody> {
  protected override afterWrite(value: ServiceToken): ServiceToken {
    if (typeof value.client_secret === 'string') this.client.redactor.add(value.client_secret);
    return value;
  }
}

/**
 * Apps: an OIDC SaaS app's `client_secret`, answered to its create only, is registered with the redactor and
 * dropped from the answer, so it is never printed, logged or kept (the user reads it in the dashboard).
 */
export class Apps extends Collection<AccessApp, AppBody> {
  protected override afterWrite(value: AccessApp): AccessApp {
    const saas = value.saas_app as Record<string, unknown> | undefined;
    if (typeof saas !== 'object' || saas === null || !('client_secret' in saas)) return value;
    const { client_secret: secret, ...rest } = saas;
    if (typeof secret === 'string') this.client.redactor.add(secret);
    return { ...value, saas_app: rest };
  }
}

/** Zero Trust lists: the collection endpoints return `count`; items come from `/items` and change by `PATCH`. */
export class GatewayLists extends Collection<GatewayList, GatewayListBody> {
  async items(listId: string): Promise<GatewayListItem[]> {
    return (await this.client.listAll(
      `${this.item(listId)}/items`,
      undefined,
      `items of list ${listId}`,
    )) as GatewayListItem[];
  }

  async patch(
    listId: string,
    change: { append?: { value: string; description?: string }[]; remove?: string[] },
  ): Promise<GatewayList> {
    const req: CallRequest = {
      method: 'PATCH',
      path: this.item(listId),
      body: change,
      object: `list ${listId}`,
    };
    return objectResult<GatewayList>((await this.client.call(req)).result, req, this.client.redactor);
  }
}

/** Legacy app-scoped policies: read them, and convert them to reusable ones. New ones cannot be created. */
export class AppPolicies {
  constructor(private readonly client: Requester) {}

  private base(appId: string): string {
    return `${this.client.scopePath(true, '/access/apps')}/access/apps/${encodeURIComponent(appId)}/policies`;
  }

  async list(appId: string): Promise<AppScopedPolicy[]> {
    return (await this.client.listAll(
      this.base(appId),
      MAX_PER_PAGE.appPolicies,
      `policies of app ${appId}`,
    )) as AppScopedPolicy[];
  }

  async get(appId: string, policyId: string): Promise<AppScopedPolicy> {
    const req = {
      method: 'GET' as const,
      path: `${this.base(appId)}/${encodeURIComponent(policyId)}`,
      object: `policy ${policyId} of app ${appId}`,
    };
    return objectResult<AppScopedPolicy>((await this.client.call(req)).result, req, this.client.redactor);
  }

  /** `PUT …/apps/{app_id}/policies/{policy_id}/make_reusable`: the policy keeps its id and becomes reusable. */
  async makeReusable(appId: string, policyId: string): Promise<ReusablePolicy> {
    const scope = this.client.scopePath(false, '/access/apps/…/make_reusable');
    const req: CallRequest = {
      method: 'PUT',
      path: `${scope}/access/apps/${encodeURIComponent(appId)}/policies/${encodeURIComponent(policyId)}/make_reusable`,
      object: `policy ${policyId} of app ${appId}`,
    };
    return objectResult<ReusablePolicy>((await this.client.call(req)).result, req, this.client.redactor);
  }
}

/** An Access tag: only a name (the API addresses tags by name), plus computed fields. */
export interface AccessTag {
  name: string;
  app_count?: number;
  created_at?: string;
  updated_at?: string;
}

/**
 * Access tags (`/accounts/{id}/access/tags`, account scope): list, create and delete by name (the API addresses a
 * tag by its name). Apps name the tags they carry; the account lock (`src/deploy/account-lock.ts`) is made of tags.
 */
export class AccessTags {
  constructor(private readonly client: Requester) {}

  private base(): string {
    return `${this.client.scopePath(false, '/access/tags')}/access/tags`;
  }

  async list(): Promise<AccessTag[]> {
    return (await this.client.listAll(this.base(), undefined, 'tags')) as AccessTag[];
  }

  /** A create whose answer was lost is not sent again when the tag is already listed. */
  async create(name: string): Promise<AccessTag> {
    const req: CallRequest = {
      method: 'POST',
      path: this.base(),
      body: { name },
      object: `tag "${name}"`,
      findExisting: async () => (await this.list()).find((t) => t.name === name),
    };
    return objectResult<AccessTag>((await this.client.call(req)).result, req, this.client.redactor);
  }

  async delete(name: string): Promise<void> {
    await this.client.call({
      method: 'DELETE',
      path: `${this.base()}/${encodeURIComponent(name)}`,
      object: `tag "${name}"`,
    });
  }
}

/** Every resource the client knows. */
export class AccessResources {
  readonly groups: Collection<AccessGroup, WireGroup>;
  readonly policies: Collection<ReusablePolicy, WirePolicy>;
  readonly apps: Collection<AccessApp, AppBody>;
  readonly appPolicies: AppPolicies;
  readonly identityProviders: Collection<IdentityProvider, IdentityProviderBody>;
  readonly serviceTokens: ServiceTokens;
  readonly lists: GatewayLists;
  readonly postureRules: Collection<PostureRule, PostureRuleBody>;
  readonly tags: AccessTags;

  constructor(client: Requester) {
    this.tags = new AccessTags(client);
    this.groups = new Collection(client, {
      kind: 'group',
      segment: '/access/groups',
      zone: true,
      perPage: MAX_PER_PAGE.groups,
    });
    this.policies = new Collection(client, {
      kind: 'policy',
      segment: '/access/policies',
      zone: false,
      perPage: MAX_PER_PAGE.policies,
    });
    this.apps = new Apps(client, {
      kind: 'app',
      segment: '/access/apps',
      zone: true,
      perPage: MAX_PER_PAGE.apps,
    });
    this.appPolicies = new AppPolicies(client);
    this.identityProviders = new Collection(client, {
      kind: 'identity provider',
      segment: '/access/identity_providers',
      zone: true,
    });
    this.serviceTokens = new ServiceTokens(client, {
      kind: 'service token',
      segment: '/access/service_tokens',
      zone: true,
    });
    this.lists = new GatewayLists(client, { kind: 'list', segment: '/gateway/lists', zone: false });
    this.postureRules = new Collection(client, {
      kind: 'posture rule',
      segment: '/devices/posture',
      zone: false,
    });
  }
}

export type { ResultInfo };

/** `policy` → `policies`, `group` → `groups`: for messages. */
function plural(kind: string): string {
  return kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`;
}
