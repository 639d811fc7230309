/**
 * Access tags (`/accounts/{account_id}/access/tags`), as Cloudflare's API reference describes them: a tag is only a
 * name (plus `app_count` and timestamps), account-scoped, and addressed by that name — `GET`, `PUT` (rename) and
 * `DELETE` take `/access/tags/{tag_name}` — so a name identifies exactly one tag and a second tag of the same name
 * cannot exist. aclc's account lock (`src/deploy/account-lock.ts`) rests on exactly these two facts:
 *
 * - a create of a name that exists is refused (here 409; Cloudflare does not document the code, 12131 is this
 *   emulator's choice in the `access.api.error.conflict` family);
 * - a rename is a compare-and-swap on the old name: of two renames of one tag, the second finds no tag of that
 *   name (404), and a rename onto a name that exists is refused (409).
 *
 * Sources: developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/tags/methods/{create,
 * get,update,delete,list} (paths, `{ name }` bodies, `Tag { name, app_count, created_at, updated_at }`), and the
 * official SDKs generated from the same OpenAPI description (cloudflare-typescript `resources/zero-trust/access/
 * tags.ts`: create / update(tagName) / list / delete(tagName) / get(tagName)). Apps refer to tags by name in
 * `tags: [..]`; a rename is carried over to them here. Each request is handled synchronously, so it is atomic.
 */
import { E } from './codes.js';
import { err, paginate, type Reply } from './reply.js';

/** A stored tag. */
export interface TagRec {
  name: string;
  created_at: string;
  updated_at: string;
}

export interface TagRequest {
  method: string;
  /** `undefined` for the collection. */
  name?: string;
  /** Path segments after the tag name (none are routed). */
  extra: boolean;
  body: unknown;
  path: string;
  query: URLSearchParams;
}

/** What the tags need from the emulated account. */
export interface TagAccount {
  tags?: TagRec[];
  apps: Record<string, unknown>[];
}

const conflict = (name: string): Reply => ({
  status: 409,
  errors: [{ code: 12131, message: `access.api.error.conflict: a tag named \`${name}\` already exists` }],
});

function nameOf(body: unknown): string | undefined {
  const name = (body as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.trim() !== '' && name.length <= 350 ? name : undefined;
}

export function handleTags(account: TagAccount, req: TagRequest, now: () => string): Reply {
  if (req.extra) return err(E.noRoute());
  account.tags ??= [];
  const tags = account.tags;
  const present = (t: TagRec) => ({
    ...t,
    app_count: account.apps.filter((a) => Array.isArray(a.tags) && a.tags.includes(t.name)).length,
  });
  if (req.name === undefined) {
    if (req.method === 'GET') {
      const sorted = [...tags].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return paginate(sorted.map(present), req.query);
    }
    if (req.method !== 'POST') return err(E.methodNotAllowed());
    const name = nameOf(req.body);
    if (name === undefined) return err(E.invalid('name: a tag needs a name of 1 to 350 characters'));
    if (tags.some((t) => t.name === name)) return conflict(name);
    const t = { name, created_at: now(), updated_at: now() };
    tags.push(t);
    return { status: 201, result: present(t), wrote: true };
  }
  const index = tags.findIndex((t) => t.name === req.name);
  if (index === -1)
    return ['GET', 'PUT', 'DELETE'].includes(req.method)
      ? err(E.notFound(req.path))
      : err(E.methodNotAllowed());
  const tag = tags[index] as TagRec;
  if (req.method === 'GET') return { status: 200, result: present(tag) };
  if (req.method === 'DELETE') {
    tags.splice(index, 1);
    return { status: 200, result: { name: tag.name }, wrote: true };
  }
  if (req.method !== 'PUT') return err(E.methodNotAllowed());
  const name = nameOf(req.body);
  if (name === undefined) return err(E.invalid('name: a tag needs a name of 1 to 350 characters'));
  if (name !== tag.name && tags.some((t) => t.name === name)) return conflict(name);
  for (const app of account.apps)
    if (Array.isArray(app.tags)) app.tags = app.tags.map((x: unknown) => (x === tag.name ? name : x));
  const next = { ...tag, name, updated_at: now() };
  tags[index] = next;
  return { status: 200, result: present(next), wrote: true };
}
