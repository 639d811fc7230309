import type { Span } from '../diagnostics/diagnostic.js';
import { hasLineBreak } from '../diagnostics/lines.js';
import type { AppItem, AstFile, Comment, Decl, Setting } from './ast.js';

/**
 * The nodes comments attach to — declarations, app items, settings of a settings block — and where their children
 * live. The formatter (`src/fmt`) moves comments by these rules and suppressions (`src/lint/suppress.ts`) are scoped
 * by them, so a suppression keeps meaning the same node through formatting.
 */
export type Attachable = Decl | AppItem | Setting;

/** The region of a node that holds its attachable children (an app's items, a settings block), if any. */
export function childRegion(node: Attachable): Span | undefined {
  if (node.kind === 'App') return { file: node.span.file, start: node.name.span.end, end: node.span.end };
  if (node.kind === 'Policy' || node.kind === 'InlinePolicy') return node.settings?.span;
  if (node.kind === 'Setting' && node.value.kind === 'Settings') return node.value.span;
  return undefined;
}

/** A node's attachable children, in order. */
export function childrenOf(node: Attachable): readonly Attachable[] {
  if (node.kind === 'App') return node.items;
  if (node.kind === 'Policy' || node.kind === 'InlinePolicy') return node.settings?.settings ?? [];
  if (node.kind === 'Setting' && node.value.kind === 'Settings') return node.value.settings;
  return [];
}

/**
 * What a node stands for when a comment names it: the whole node, except an app, which stands for its header
 * (`app "Name"`): its items are nodes of their own.
 */
export function ownExtent(node: Attachable): Span {
  if (node.kind === 'App') return { file: node.span.file, start: node.span.start, end: node.name.span.end };
  return node.span;
}

/** The sibling whose span holds `offset`, by binary search (siblings are in source order and do not overlap). */
function holding(nodes: readonly Attachable[], offset: number): Attachable | undefined {
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = nodes[mid] as Attachable;
    if (offset < n.span.start) hi = mid - 1;
    else if (offset >= n.span.end) lo = mid + 1;
    else return n;
  }
  return undefined;
}

/** Where a comment sits among the attachable nodes of its file. */
export interface CommentPlace {
  /** The innermost node whose own text (outside its children's region) holds the comment: the formatter hoists the comment before it. */
  inside?: Attachable;
  /** Otherwise, the node the formatter keeps it trailing: the outermost node ending last before it on its line. */
  after?: Attachable;
}

/** Where `comment` sits: inside a node (hoisted by the formatter), trailing one (kept on its line), or neither. */
export function placeOf(ast: AstFile, comment: Comment, text: string): CommentPlace {
  const at = comment.span.start;
  let level: readonly Attachable[] = ast.decls;
  let lastBefore: Attachable | undefined;
  for (;;) {
    const node = holding(level, at);
    const previous = previousSibling(level, at);
    if (previous) lastBefore = previous;
    if (!node) break;
    const region = childRegion(node);
    if (!region || at < region.start || at >= region.end) return { inside: node };
    level = childrenOf(node);
    lastBefore = undefined; // `node` has not ended: what ends before the comment is inside it
  }
  // Siblings nest, so the previous sibling at the deepest level is the last node that ended before the comment;
  // an enclosing node that ended before it would have been found at an outer level instead.
  if (lastBefore && !hasLineBreak(text.slice(lastBefore.span.end, at))) return { after: lastBefore };
  return {};
}

/** The last sibling that ends at or before `offset`. */
function previousSibling(nodes: readonly Attachable[], offset: number): Attachable | undefined {
  let lo = 0;
  let hi = nodes.length - 1;
  let found: Attachable | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = nodes[mid] as Attachable;
    if (n.span.end <= offset) {
      found = n;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The outermost node starting exactly at `offset`, if any. */
export function nodeStartingAt(ast: AstFile, offset: number): Attachable | undefined {
  let level: readonly Attachable[] = ast.decls;
  for (;;) {
    const node = holding(level, offset);
    if (!node) return undefined;
    if (node.span.start === offset) return node;
    level = childrenOf(node);
  }
}
