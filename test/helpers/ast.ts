/**
 * A deep copy of an AST (or any value) without its `span` fields, for comparing trees by shape. Comments are kept
 * unless `dropComments` is set (then a file's `comments` list is removed too).
 */
export function stripSpans<T>(value: T, options: { dropComments?: boolean } = {}): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v as Record<string, unknown>)) {
      if (key === 'span') continue;
      if (options.dropComments && key === 'comments') continue;
      out[key] = strip(inner);
    }
    return out;
  };
  return strip(value);
}
