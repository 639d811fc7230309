/**
 * Which account objects a group or policy body refers to through its rules. Pure.
 */

/** The collection (and for lists, the list type) a rule's id must exist in. */
export type RefTarget =
  | 'groups'
  | 'email_lists'
  | 'ip_lists'
  | 'service_tokens'
  | 'posture_rules'
  | 'identity_providers'
  | 'apps';

export interface RuleRef {
  target: RefTarget;
  id: string;
  /** Where in the body, e.g. `include[0].group.id`. */
  where: string;
}

/** wire key → [field, target] of the ids a rule of that type carries (besides `identity_provider_id`). */
const ID_FIELDS: Record<string, [string, RefTarget]> = {
  group: ['id', 'groups'],
  email_list: ['id', 'email_lists'],
  ip_list: ['id', 'ip_lists'],
  service_token: ['token_id', 'service_tokens'],
  device_posture: ['integration_uid', 'posture_rules'],
  login_method: ['id', 'identity_providers'],
  linked_app_token: ['app_uid', 'apps'],
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every reference in `include`, `exclude` and `require` of a group or policy body. */
export function bodyRefs(body: Record<string, unknown>): RuleRef[] {
  const out: RuleRef[] = [];
  for (const part of ['include', 'exclude', 'require'] as const) {
    const rules = body[part];
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule, i) => {
      if (!isRecord(rule)) return;
      for (const [key, inner] of Object.entries(rule)) {
        if (!isRecord(inner)) continue;
        const spec = ID_FIELDS[key];
        if (spec && typeof inner[spec[0]] === 'string') {
          out.push({
            target: spec[1],
            id: inner[spec[0]] as string,
            where: `${part}[${i}].${key}.${spec[0]}`,
          });
        }
        if (typeof inner.identity_provider_id === 'string') {
          out.push({
            target: 'identity_providers',
            id: inner.identity_provider_id,
            where: `${part}[${i}].${key}.identity_provider_id`,
          });
        }
      }
    });
  }
  return out;
}

/** Whether a body refers to the object `id` through a rule whose target is one of `targets`. */
export function refersTo(body: Record<string, unknown>, targets: readonly RefTarget[], id: string): boolean {
  return bodyRefs(body).some((r) => r.id === id && targets.includes(r.target));
}
