import { PLAIN, type Style } from '../cli/render/human.js';
import { renderAccessDiffGithub } from './render-github.js';
import { renderAccessDiffHuman } from './render-human.js';
import { renderAccessDiffMarkdown } from './render-markdown.js';
import type { AccessDiff } from './types.js';

export type AccessDiffFormat = 'human' | 'json' | 'markdown' | 'github';
export const ACCESS_DIFF_FORMATS: readonly AccessDiffFormat[] = ['human', 'json', 'markdown', 'github'];

export interface RenderAccessDiffOptions {
  format: AccessDiffFormat;
  /** Columns to wrap human output at (values are never cut). */
  width?: number;
  /** Colours for human output (default none). */
  style?: Style;
}

/** The JSON document `--format json` prints: the diff with a format tag and version. */
export function accessDiffJson(diff: AccessDiff): string {
  return `${JSON.stringify({ format: 'aclc-access-diff', version: 1, ...diff }, null, 2)}\n`;
}

/**
 * The one entry point for showing an access diff, used by `aclc diff` and by `plan`'s "Access changes" section:
 * one renderer per format, all over the same `AccessDiff`.
 */
export function renderAccessDiff(diff: AccessDiff, options: RenderAccessDiffOptions): string {
  switch (options.format) {
    case 'json':
      return accessDiffJson(diff);
    case 'markdown':
      return renderAccessDiffMarkdown(diff);
    case 'github':
      return renderAccessDiffGithub(diff);
    case 'human':
      return renderAccessDiffHuman(diff, options.style ?? PLAIN, options.width ?? 100);
  }
}
