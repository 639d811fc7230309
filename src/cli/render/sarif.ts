import type * as Sarif from 'sarif';
import { CATALOG } from '../../diagnostics/catalog.js';
import type { Diagnostic, Severity, Span } from '../../diagnostics/diagnostic.js';
import { ruleName } from '../../diagnostics/rules.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { describeIdentity } from './witness.js';

/** What SARIF says about a lint rule (from its metadata). */
export interface SarifRuleInfo {
  id: string;
  summary: string;
  category: string;
  defaultSeverity: Severity;
  fixable: boolean;
}

export interface SarifOptions {
  toolVersion: string;
  /** Every lint rule, for `tool.driver.rules` (compiler codes that occur are added from the catalog). */
  rules: readonly SarifRuleInfo[];
  /** Base of the rule doc pages; `<id>.md` is appended. */
  docsBase?: string;
}

/**
 * Where the rule doc pages are: in the package, `docs/rules/<id>.md` (aclc has no published docs URL yet, so none is
 * invented). SARIF gets a `helpUri` only when the caller gives an absolute `docsBase`.
 */
export const DEFAULT_DOCS_BASE = 'docs/rules/';

const LEVEL: Readonly<Record<Severity, Sarif.Result.level>> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** A path as a relative URI reference: forward slashes, each segment percent-encoded. */
export function toUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function region(span: Span, files: ReadonlyMap<string, SourceFile>): Sarif.Region {
  const file = files.get(span.file);
  if (!file) return { startLine: 1, startColumn: 1 };
  const start = file.position(span.start);
  const end = file.position(Math.max(span.start, span.end));
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

function location(span: Span, files: ReadonlyMap<string, SourceFile>): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: toUri(span.file), uriBaseId: '%SRCROOT%' },
      region: region(span, files),
    },
  };
}

function messageText(d: Diagnostic): string {
  const lines = [d.message];
  if (d.witness) lines.push(`witness: ${describeIdentity(d.witness)}`);
  if (d.help) lines.push(`help: ${d.help}`);
  return lines.join('\n');
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one run of the `aclc` driver with rule metadata (help links to the rule's
 * doc page), one result per diagnostic with its location, related locations, witness and fix.
 */
export function renderSarif(
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  options: SarifOptions,
): string {
  const docs = options.docsBase;
  const descriptors: Sarif.ReportingDescriptor[] = options.rules.map((r) => ({
    id: r.id,
    name: r.id,
    shortDescription: { text: r.summary },
    help: { text: `run \`aclc rule ${r.id}\`, or read docs/rules/${r.id}.md in the aclc package` },
    ...(docs === undefined ? {} : { helpUri: `${docs}${r.id}.md` }),
    defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
    properties: { category: r.category, fixable: r.fixable, tags: [r.category] },
  }));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  for (const d of diagnostics) {
    if (index.has(d.code)) continue;
    const entry = Object.hasOwn(CATALOG, d.code) ? CATALOG[d.code as keyof typeof CATALOG] : undefined;
    index.set(d.code, descriptors.length);
    descriptors.push({
      id: d.code,
      name: ruleName(d),
      shortDescription: { text: entry ? entry.message.replace(/\{([a-zA-Z_]+)\}/g, '…') : d.code },
      defaultConfiguration: { level: LEVEL[entry?.severity ?? d.severity] },
      properties: { category: 'compiler', tags: ['compiler'] },
    });
  }

  const results: Sarif.Result[] = diagnostics.map((d) => {
    const result: Sarif.Result = {
      ruleId: d.code,
      ruleIndex: index.get(d.code) as number,
      // The rule name travels with every result too (for a lint rule it is the id itself).
      properties: { rule: ruleName(d) },
      level: LEVEL[d.severity],
      message: { text: messageText(d) },
      locations: [location(d.span, files)],
    };
    if (d.related?.length) {
      result.relatedLocations = d.related.map((r, i) => ({
        id: i + 1,
        ...location(r.span, files),
        message: { text: r.message },
      }));
    }
    if (d.fix) {
      const byFile = new Map<string, Sarif.Replacement[]>();
      for (const e of d.fix.edits) {
        const list = byFile.get(e.span.file) ?? [];
        list.push({ deletedRegion: region(e.span, files), insertedContent: { text: e.text } });
        byFile.set(e.span.file, list);
      }
      result.fixes = [
        {
          description: { text: d.fix.description },
          artifactChanges: [...byFile].map(([file, replacements]) => ({
            artifactLocation: { uri: toUri(file), uriBaseId: '%SRCROOT%' },
            replacements,
          })),
        },
      ];
    }
    if (d.witness) result.properties = { ...result.properties, witness: d.witness };
    return result;
  });

  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'aclc',
            version: options.toolVersion,
            rules: descriptors,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
