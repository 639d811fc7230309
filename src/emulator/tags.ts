/**
 * Access tags (`/accounts/{account_id}/access/tags`), as Cloudflare's sources show them.
 *
 * What the sources say (facts, each with where it comes from; the pinned URLs are in `SOURCES` of `behaviours.ts`:
 * `recordedTags`, `providerTag`, `tagsMustExist`):
 * - A tag is a name plus `app_count`, `created_at`, `updated_at`, account-scoped; `POST /access/tags` takes
 *   `{ name }`; `GET`, `PUT` and `DELETE` take `/access/tags/{tag_name}`: a tag is addressed by its name.
 *   (Cloudflare API reference, zero_trust/access/tags/methods/{create,get,update,delete,list}; cloudflare-typescript
 *   `resources/zero-trust/access/tags.ts`.)
 * - The list answers `{ app_count, created_at, name, updated_at }` items to the second, with `result_info`
 *   (`per_page` 50). (cf-terraforming `testdata/cloudflare/v5/cloudflare_zero_trust_access_tag.yaml`, recorded.)
 * - Terraform identifies a tag by its name (`id` = `name`) and replaces a tag whose name changes rather than
 *   renaming it (`name` is `RequiresReplace`), so no Cloudflare tool exercises a rename.
 *   (terraform-provider-cloudflare `internal/services/zero_trust_access_tag/{schema,resource}.go`.)
 * - An app that names a tag that does not exist is refused: an app sync tool had to create tags before using them
 *   (docker-cloudflare-tunnel-sync commit a330a2b, "Avoid Access tag errors by ensuring tags exist"). The code and
 *   message of that refusal are not recorded anywhere; 400 / 12132 here is this emulator's choice.
 *
 * What no source shows: what a create of a name that already exists answers. Addressing by name implies one tag
 * per name, so by default the emulator refuses it (409; 12131 is this emulator's choice), but aclc must not depend
 * on it: with `tagDuplicates: 'accept'` (`aclc emulator --tag-duplicates accept`) a second tag of the same name is
 * stored, the list shows both, and `GET`/`PUT`/`DELETE` by name act on the first. The account lock is tested
 * against both. A rename (`PUT` with another name) renames the tag and the apps that carry it. Each request is
 * handled synchronously, so it is atomic.
 */
import { stamp } from './behaviours.js';
import { E } from './codes.js';
import { err, paginate, type Reply } from './reply.js';

/** A stored tag. */
export interface TagRec {
  name: string;
  created_at: string;
  updated_at: string;
}

/** What a create of an existing name does: refused (409), or a second tag of that name. */
export type TagDuplicates = 'refuse' | 'accept';

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

/**
 * The tags of an app body that are not tags of the account, or `undefined` when all exist. Checked on every app
 * create and update that sends `tags`.
 */
export function unknownTags(account: TagAccount, body: unknown): Reply | undefined {
  const tags = (body as { tags?: unknown } | null)?.tags;
  if (!Array.isArray(tags)) return undefined;
  const known = new Set((account.tags ?? []).map((t) => t.name));
  const missing = tags.filter((t): t is string => typeof t === 'string' && !known.has(t));
  if (missing.length === 0) return undefined;
  return {
    status: 400,
    errors: [
      {
        code: 12132,
        message: `access.api.error.invalid_request: tags: ${missing.map((t) => `\`${t}\``).join(', ')} must be created with POST /access/tags first`,
      },
    ],
  };
}

export function handleTags(
  account: TagAccount,
  req: TagRequest,
  now: () => string,
  duplicates: TagDuplicates = 'refuse',
): Reply {
  if (req.extra) return err(E.noRoute());
  const at = () => stamp(now()); // to the second, as the recorded list answers
  account.tags ??= [];
  const tags = account.tags;
  const present = (t: TagRec) => ({
    ...t,
    app_count: account.apps.filter((a) => Array.isArray(a.tags) && a.tags.includes(t.name)).length,
  });
  if (req.name === undefined) {
    if (req.method === 'GET') {
      const sorted = [...tags].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return paginate(sorted.map(present), req.query, [50, 1000]); // 50 a page by default: `recordedTags`
    }
    if (req.method !== 'POST') return err(E.methodNotAllowed());
    const name = nameOf(req.body);
    if (name === undefined) return err(E.invalid('name: a tag needs a name of 1 to 350 characters'));
    if (duplicates === 'refuse' && tags.some((t) => t.name === name)) return conflict(name);
    const t = { name, created_at: at(), updated_at: at() };
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
  if (duplicates === 'refuse' && name !== tag.name && tags.some((t) => t.name === name))
    return conflict(name);
  for (const app of account.apps)
    if (Array.isArray(app.tags)) app.tags = app.tags.map((x: unknown) => (x === tag.name ? name : x));
  const next = { ...tag, name, updated_at: at() };
  tags[index] = next;
  return { status: 200, result: present(next), wrote: true };
}
