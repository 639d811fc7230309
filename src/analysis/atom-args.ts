/** Reading an atom's arguments the way the encoding (`layout.ts`) and the layout sizing (`sizing.ts`) both do. */

import type { AtomValue, Ref } from '../model/formula.js';
import { refKey } from '../model/formula.js';

/** A string argument (`''` when absent or not a string). */
export const atomStr = (args: Record<string, AtomValue>, field: string): string => {
  const v = args[field];
  return typeof v === 'string' ? v : '';
};

/** The members of a list declared in code (`ip_list` / `email_list` with `Ref.members`), else `undefined`. */
export const atomListMembers = (args: Record<string, AtomValue>): readonly string[] | undefined => {
  const v = args.id;
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? (v as Ref).members : undefined;
};

/** The key of an account-reference argument (`refKey`; `''` when absent). */
export const atomKeyArg = (args: Record<string, AtomValue>, field: string): string => {
  const v = args[field];
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? refKey(v as Ref) : '';
};
