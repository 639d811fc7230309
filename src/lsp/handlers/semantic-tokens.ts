import type { SemanticTokens, SemanticTokensLegend, SemanticTokensParams } from 'vscode-languageserver';
import type { SourceFile } from '../../diagnostics/source.js';
import { lex } from '../../lexer/lexer.js';
import type { AstFile } from '../../parser/ast.js';
import { type ServerContext, viewOf } from '../context.js';
import { nameSites } from '../names.js';

const TYPES = [
  'keyword',
  'operator',
  'string',
  'number',
  'comment',
  'function',
  'property',
  'variable',
  'type',
  'enumMember',
] as const;
const MODIFIERS = ['declaration', 'defaultLibrary'] as const;
type TokenType = (typeof TYPES)[number];

export const SEMANTIC_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...TYPES],
  tokenModifiers: [...MODIFIERS],
};

const BY_TOKEN: Readonly<Record<string, TokenType>> = {
  StringLiteral: 'string',
  UnterminatedString: 'string',
  NumberLiteral: 'number',
  Duration: 'number',
  And: 'operator',
  Or: 'operator',
  Not: 'operator',
  In: 'operator',
  True: 'keyword',
  False: 'keyword',
};

/**
 * Semantic tokens from the lexer's tokens, with names classified by the tree: selectors are functions, setting keys
 * properties, IdP names variables (declarations marked), IdP types types, bare setting values enum members.
 */
export function semanticTokens(ctx: ServerContext, params: SemanticTokensParams): SemanticTokens {
  const view = viewOf(ctx, params.textDocument.uri);
  if (!view) return { data: [] };
  return { data: encode(view.source, view.ast) };
}

export function encode(source: SourceFile, ast: AstFile): number[] {
  const names = classifyNames(ast);
  const tokens: { start: number; length: number; type: TokenType; mods: number }[] = [];
  const { tokens: lexed } = lex(source);
  for (const t of lexed) {
    const kind = t.tokenType.name;
    let type: TokenType | undefined = BY_TOKEN[kind];
    let mods = 0;
    if (kind === 'Identifier') {
      const named = names.get(t.startOffset);
      type = named?.type ?? 'variable';
      mods = named?.mods ?? 0;
    } else if (!type && /^[a-z_]+$/.test(t.image)) type = 'keyword';
    if (type) tokens.push({ start: t.startOffset, length: t.image.length, type, mods });
  }
  for (const c of ast.comments)
    tokens.push({ start: c.span.start, length: c.span.end - c.span.start, type: 'comment', mods: 0 });
  tokens.sort((a, b) => a.start - b.start);
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const t of tokens) {
    const p = source.position(t.start);
    const l = p.line - 1;
    const c = p.column - 1;
    data.push(l - line, l === line ? c - char : c, t.length, TYPES.indexOf(t.type), t.mods);
    line = l;
    char = c;
  }
  return data;
}

function classifyNames(ast: AstFile): Map<number, { type: TokenType; mods: number }> {
  const out = new Map<number, { type: TokenType; mods: number }>();
  const DECLARATION = 1;
  const DEFAULT_LIBRARY = 2;
  for (const s of nameSites([ast]))
    if (s.kind === 'idp') out.set(s.span.start, { type: 'variable', mods: s.decl ? DECLARATION : 0 });
  const visit = (node: unknown, parentKind?: string, key?: string): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, parentKind, key);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const n = node as { kind?: string; span?: { start: number }; [k: string]: unknown };
    if (n.kind === 'Selector') {
      const name = n.name as { span: { start: number } };
      out.set(name.span.start, { type: 'function', mods: DEFAULT_LIBRARY });
    } else if (n.kind === 'Setting') {
      const k = n.key as { span: { start: number } };
      out.set(k.span.start, { type: 'property', mods: 0 });
    } else if (n.kind === 'Idp' && n.type) {
      out.set((n.type as { span: { start: number } }).span.start, { type: 'type', mods: 0 });
    } else if (n.kind === 'Ident' && parentKind === 'value' && n.span && !out.has(n.span.start)) {
      out.set(n.span.start, { type: 'enumMember', mods: 0 });
    }
    for (const [k, v] of Object.entries(n)) {
      if (k === 'span' || k === 'comments') continue;
      visit(v, k === 'value' || k === 'items' ? 'value' : n.kind, key);
    }
  };
  visit(ast.decls);
  return out;
}
