import type { Identity } from '../../model/identity.js';

/** A one-line, human reading of an identity, e.g. `email=bob@eng.example.com country=KP`. */
export function describeIdentity(identity: Identity): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(identity)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) parts.push(`${key}=[${value.join(', ')}]`);
    else if (typeof value === 'object')
      parts.push(
        `${key}={${Object.entries(value as Record<string, string[]>)
          .map(([k, v]) => `${k}: [${v.join(', ')}]`)
          .join('; ')}}`,
      );
    else parts.push(`${key}=${String(value)}`);
  }
  return parts.length > 0 ? parts.join(' ') : 'any request';
}
