/**
 * What the store answers, and the helpers that build answers (errors, pages). Pure.
 */
import type { ApiMessage, ResultInfo } from '../api/envelope.js';
import { E, type ErrorReply } from './codes.js';

/** What to answer: a status plus a result or errors. `wrote` marks a change to persist before answering. */
export interface Reply {
  status: number;
  result?: unknown;
  result_info?: ResultInfo;
  errors?: ApiMessage[];
  wrote?: boolean;
}

/** A 400 carrying one 12130 error per problem (at most 20). */
export const invalidAll = (problems: string[]): Reply => ({
  status: 400,
  errors: problems.slice(0, 20).flatMap((p) => E.invalid(p).errors),
});

export const err = (e: ErrorReply): Reply => ({ status: e.status, errors: e.errors });

/**
 * One page of `items` as `page` / `per_page` ask. `sizes` is [default, max] page size; without it a list is
 * answered whole unless pages are asked for (max 1000).
 */
export function paginate(items: unknown[], query: URLSearchParams, sizes?: [number, number]): Reply {
  const max = sizes?.[1] ?? 1000;
  const page = query.has('page') ? Number(query.get('page')) : 1;
  const perPage = query.has('per_page')
    ? Number(query.get('per_page'))
    : (sizes?.[0] ?? Math.max(1, items.length));
  if (!Number.isInteger(page) || page < 1) return err(E.invalid('page: must be a positive integer'));
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > max)
    return err(E.invalid(`per_page: must be an integer from 1 to ${max}`));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const result_info: ResultInfo = {
    page,
    per_page: perPage,
    count: slice.length,
    total_count: items.length,
    total_pages: Math.max(1, Math.ceil(items.length / perPage)),
  };
  return { status: 200, result: slice, result_info };
}
