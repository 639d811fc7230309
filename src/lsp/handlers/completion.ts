// biome-ignore-all lint/suspicious/noTemplateCurlyInString: completion snippets are written in the LSP snippet syntax
import countryNames from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import {
  type CompletionItem,
  CompletionItemKind,
  type CompletionParams,
  InsertTextFormat,
  MarkupKind,
} from 'vscode-languageserver';
import { lineStartBefore } from '../../diagnostics/lines.js';
import { IDP_TYPES } from '../../resolve/index.js';
import { SELECTORS, type SelectorSpec, selectorByName } from '../../selectors/table.js';
import { AUTH_METHODS, COUNTRY_CODES, RISK_LEVELS } from '../../selectors/values.js';
import { APP_SETTINGS, POLICY_SETTINGS } from '../../settings/index.js';
import type { SettingSpec, SettingsTable } from '../../settings/schema.js';
import { parsedProjectOf, type ServerContext, viewOf } from '../context.js';
import { offsetOf } from '../convert.js';
import { selectorDoc, settingDoc } from '../docs.js';
import { type NameKind, paramAt } from '../names.js';

const DECISIONS = ['allow', 'deny', 'bypass', 'service_auth'];
const EXPRESSION_STARTERS = new Set(['if', 'and', 'or', 'not', '=', '(']);
const NAMES = (countryNames as { countries: Record<string, string | string[]> }).countries;

/**
 * Completion from the text before the cursor (it is usually half-typed, so the tree is not relied on): project names
 * inside strings and selector arguments, setting names and values inside blocks, selectors in conditions, keywords
 * and decisions at the start of a statement.
 */
export function completion(ctx: ServerContext, params: CompletionParams): CompletionItem[] {
  const view = viewOf(ctx, params.textDocument.uri);
  if (!view) return [];
  const text = view.source.text;
  const offset = offsetOf(view.source, params.position);
  const scan = scanTo(text, offset);
  if (scan.inComment) return [];
  const lineStart = lineStartBefore(text, offset);
  const line = text.slice(lineStart, offset);
  const names = (kind: NameKind) => () => [
    ...new Set(
      parsedProjectOf(ctx, view)
        .sites.filter((s) => s.decl && s.kind === kind)
        .map((s) => s.name),
    ),
  ];

  // Inside a call's parentheses: the selector and which argument.
  const call = scan.call;
  if (call) {
    const spec = selectorByName(call.name);
    const param = spec ? paramAt(spec, call.arg) : undefined;
    if (spec && param) {
      const quoted = (values: readonly string[], kind: CompletionItemKind, detail?: (v: string) => string) =>
        values.map((v) => item(scan.inString ? v : `"${v}"`, kind, detail?.(v), v));
      if (param.type.kind === 'idp')
        return scan.inString
          ? []
          : names('idp')().map((n) => item(n, CompletionItemKind.Variable, 'identity provider'));
      if (param.type.kind === 'ref' && param.type.ref === 'group')
        return quoted(names('group')(), CompletionItemKind.Class, () => 'group');
      if (param.type.kind === 'ref' && param.type.ref === 'app')
        return quoted(names('app')(), CompletionItemKind.Module, () => 'app');
      if (param.type.kind === 'ref' && (param.type.ref === 'ip_list' || param.type.ref === 'email_list')) {
        // The lists declared in code of the selector's type (an account list can be named too, by hand).
        const type = param.type.ref === 'ip_list' ? 'IP' : 'EMAIL';
        const lists = parsedProjectOf(ctx, view).sites.filter(
          (s) => s.decl && s.kind === 'list' && (s.listType ?? type) === type,
        );
        return quoted([...new Set(lists.map((s) => s.name))], CompletionItemKind.Constant, () =>
          type === 'IP' ? 'IP list' : 'email list',
        );
      }
      if (param.type.kind === 'value') {
        if (param.type.value === 'country')
          return quoted(COUNTRY_CODES, CompletionItemKind.EnumMember, countryName);
        if (param.type.value === 'auth_method') return quoted(AUTH_METHODS, CompletionItemKind.EnumMember);
        if (param.type.value === 'risk_level') return quoted(RISK_LEVELS, CompletionItemKind.EnumMember);
      }
    }
    if (scan.inString) return [];
  }
  if (scan.inString) {
    if (/\buse\s+"[^"]*$/.test(line))
      return names('policy')().map((n) => item(n, CompletionItemKind.Function, 'policy'));
    return [];
  }

  // `idp name: type`
  if (/^\s*idp\s+[A-Za-z_][\w-]*\s*:\s*[\w-]*$/.test(line))
    return IDP_TYPES.map((t) => item(t, CompletionItemKind.TypeParameter, 'IdP type'));

  const table = tableOf(scan.blocks);
  const words = line.trim().split(/\s+/);
  const previous = previousToken(text, offset);

  // In a block, after a setting's key: its values.
  if (table && /^\s*[A-Za-z_][\w-]*\s+[\w-]*$/.test(line)) {
    const spec = table.entries.find((e) => e.key === words[0]);
    if (spec) return valueItems(spec);
  }
  if (previous !== undefined && EXPRESSION_STARTERS.has(previous)) return expressionItems();
  // At the start of a statement.
  if (/^\s*[A-Za-z_]*$/.test(line)) {
    if (scan.blocks.length === 0) return topLevelItems();
    const out: CompletionItem[] = [];
    if (scan.blocks.length === 1 && scan.blocks[0] === 'app') {
      out.push(
        ...DECISIONS.map((d) =>
          snippet(
            d,
            `${d} "\${1:name}" if \${2:condition}`,
            CompletionItemKind.Keyword,
            'policy of this app',
          ),
        ),
      );
      out.push(snippet('use', 'use "${1:policy}"', CompletionItemKind.Keyword, 'attach a reusable policy'));
      out.push(
        snippet(
          'zone',
          'zone "${1:example.com}"',
          CompletionItemKind.Keyword,
          'put the app in a zone (zone-level)',
        ),
      );
    }
    if (table) out.push(...table.entries.map((e) => settingItem(e, table)));
    return out;
  }
  // After a complete condition: more of it.
  return [
    ...['and', 'or', 'precedence'].map((k) => item(k, CompletionItemKind.Keyword)),
    ...expressionItems(),
  ];
}

function item(label: string, kind: CompletionItemKind, detail?: string, filter?: string): CompletionItem {
  const out: CompletionItem = { label, kind };
  if (detail) out.detail = detail;
  if (filter && filter !== label) out.filterText = filter;
  return out;
}

function snippet(label: string, body: string, kind: CompletionItemKind, detail: string): CompletionItem {
  return { label, kind, detail, insertText: body, insertTextFormat: InsertTextFormat.Snippet };
}

const countryName = (code: string): string => {
  const name = NAMES[code];
  return Array.isArray(name) ? (name[0] as string) : (name ?? code);
};

function selectorItem(spec: SelectorSpec): CompletionItem {
  const args = spec.params.map((p, i) =>
    p.type.kind === 'idp' ? `\${${i + 1}:${p.label}}` : `"\${${i + 1}:${p.label}}"`,
  );
  const body = spec.nullary || spec.params.length === 0 ? spec.name : `${spec.name}(${args.join(', ')})`;
  return {
    label: spec.name,
    kind: CompletionItemKind.Function,
    detail: spec.summary,
    documentation: { kind: MarkupKind.Markdown, value: selectorDoc(spec) },
    insertText: body,
    insertTextFormat: InsertTextFormat.Snippet,
  };
}

function expressionItems(): CompletionItem[] {
  return [...SELECTORS.map(selectorItem), item('not', CompletionItemKind.Keyword, 'negation')];
}

function topLevelItems(): CompletionItem[] {
  return [
    snippet(
      'idp',
      'idp ${1:name}: ${2:type} = "${3:Display name}"',
      CompletionItemKind.Keyword,
      'identity provider',
    ),
    snippet('group', 'group "${1:Name}" = ${2:condition}', CompletionItemKind.Keyword, 'Access group'),
    snippet(
      'list',
      'list "${1:Name}" = ${2|ip,email|}("${3}")',
      CompletionItemKind.Keyword,
      'Zero Trust list',
    ),
    snippet(
      'extern group',
      'extern group "${1:Name}"',
      CompletionItemKind.Keyword,
      'group kept in the account',
    ),
    snippet(
      'policy',
      'policy "${1:Name}" ${2|allow,deny,bypass,service_auth|} if ${3:condition}',
      CompletionItemKind.Keyword,
      'reusable policy',
    ),
    snippet(
      'app',
      'app "${1:Name}" {\n  domain "${2:app.example.com}"\n  $0\n}',
      CompletionItemKind.Keyword,
      'application',
    ),
  ];
}

function settingItem(spec: SettingSpec, table: SettingsTable): CompletionItem {
  const body =
    spec.type.kind === 'block'
      ? `${spec.key} {\n  $0\n}`
      : spec.type.kind === 'blocks'
        ? `${spec.key} [{ $0 }]`
        : spec.type.kind === 'string' || spec.type.kind === 'ref'
          ? `${spec.key} "$1"`
          : spec.type.kind === 'list' || spec.type.kind === 'idps'
            ? `${spec.key} [$1]`
            : `${spec.key} $1`;
  return {
    label: spec.key,
    kind: CompletionItemKind.Property,
    detail: spec.doc,
    documentation: { kind: MarkupKind.Markdown, value: settingDoc(spec, table.where) },
    insertText: body,
    insertTextFormat: InsertTextFormat.Snippet,
  };
}

function valueItems(spec: SettingSpec): CompletionItem[] {
  const type = spec.type.kind === 'list' ? spec.type.item : spec.type;
  if (type.kind === 'enum') return type.values.map((v) => item(v, CompletionItemKind.EnumMember, spec.key));
  if (type.kind === 'bool') return ['true', 'false'].map((v) => item(v, CompletionItemKind.Keyword));
  return [];
}

/** The settings table of the innermost block. */
function tableOf(blocks: readonly string[]): SettingsTable | undefined {
  let table: SettingsTable | undefined;
  for (const head of blocks) {
    if (head === 'app') table = APP_SETTINGS;
    else if (head === 'policy' || DECISIONS.includes(head) || head === 'block' || head === 'non_identity')
      table = POLICY_SETTINGS;
    else {
      const spec = table?.entries.find((e) => e.key === head);
      table =
        spec && (spec.type.kind === 'block' || spec.type.kind === 'blocks') ? spec.type.table : undefined;
    }
  }
  return table;
}

/** The last token before `offset` (skipping the word being typed): a word, or one punctuation character. */
function previousToken(text: string, offset: number): string | undefined {
  let i = offset;
  while (i > 0 && /[\w-]/.test(text[i - 1] as string)) i--;
  while (i > 0 && /\s/.test(text[i - 1] as string)) i--;
  if (i === 0) return undefined;
  const end = i;
  if (!/[\w-]/.test(text[i - 1] as string)) return text[i - 1];
  while (i > 0 && /[\w-]/.test(text[i - 1] as string)) i--;
  return text.slice(i, end);
}

interface Scan {
  inString: boolean;
  inComment: boolean;
  /** Head words of the open `{` blocks, outermost first (`app`, `allow`, `mfa`, …). */
  blocks: string[];
  /** The innermost open call: the selector name and the 0-based argument the cursor is in. */
  call?: { name: string; arg: number };
}

/** Read the text up to `offset`, tracking strings, comments, open blocks and open calls. */
function scanTo(text: string, offset: number): Scan {
  const blocks: string[] = [];
  const calls: ({ name: string; arg: number } | undefined)[] = [];
  let inString = false;
  let inComment = false;
  /** Start of the current statement's first word, for block heads. */
  let statementWords: string[] = [];
  let word = '';
  const endWord = () => {
    if (word) statementWords.push(word);
    word = '';
  };
  for (let i = 0; i < offset; i++) {
    const c = text[i] as string;
    if (inComment) {
      if (c === '\n' || c === '\r') inComment = false;
      continue;
    }
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"' || c === '\n' || c === '\r') inString = false;
      continue;
    }
    if (/[\w-]/.test(c)) {
      word += c;
      continue;
    }
    endWord();
    if (c === '"') {
      inString = true;
      statementWords.push('"');
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) inComment = true;
    else if (c === '(') {
      const last = statementWords[statementWords.length - 1];
      const beforeIn = statementWords[statementWords.length - 2];
      calls.push(
        last === 'in' && beforeIn ? { name: beforeIn, arg: 0 } : last ? { name: last, arg: 0 } : undefined,
      );
      statementWords.push('(');
    } else if (c === ')') {
      calls.pop();
      statementWords.push(')');
    } else if (c === ',') {
      const call = calls[calls.length - 1];
      if (call) call.arg++;
    } else if (c === '{') {
      blocks.push(blockHead(statementWords));
      statementWords = [];
    } else if (c === '}') {
      blocks.pop();
      statementWords = [];
    } else if (c === '[') statementWords.push('[');
  }
  const call = calls[calls.length - 1];
  return { inString, inComment, blocks, ...(call ? { call } : {}) };
}

/**
 * The word that says what a `{` opens: `app` for `app "X" {`, the decision for an inline policy, `policy` for a
 * reusable one, the setting's key for `mfa {` and `approval_groups [{`. Only the words since the last block edge are
 * seen, so an app's earlier settings come first: the head is the last statement start among them.
 */
function blockHead(words: readonly string[]): string {
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i] as string;
    if (w === 'app' || w === 'policy' || DECISIONS.includes(w) || w === 'block' || w === 'non_identity') {
      // `policy "X" allow if …`: the decision follows `policy`.
      if (DECISIONS.includes(w) && words[i - 1] === '"' && words[i - 2] === 'policy') return 'policy';
      return w;
    }
  }
  // A setting block: `key {` or `key [{`.
  const filtered = words.filter((w) => w !== '[');
  return filtered[filtered.length - 1] ?? '';
}
