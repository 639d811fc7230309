import { accessDiff } from '../access-diff/engine.js';
import { compileProject } from '../compiler/compile.js';
import { flattenZones, type LiveState } from '../deploy/live.js';
import { accountObjects, PlaceholderResolver } from '../deploy/resolve.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { CompiledDocument, evaluateCompiledApp } from '../eval/compiled.js';
import { evaluateApp } from '../eval/source.js';
import type { CompiledProject, WirePolicy } from '../model/compiled.js';
import type { RefKind } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import { analyzeSources } from '../pipeline.js';
import { isPlaceholder, refToWire } from '../selectors/wire.js';
import { canonicalDocument, identitiesFor, rulesFor } from './identities.js';
import type { ImportedFile } from './import.js';
import { listMemberships, withKnownLists } from './list-members.js';
import { liveDocument } from './live-document.js';

/**
 * The proof of an import: its files compiled, and every app they write deciding as the account does, for every
 * identity that matters (`identitiesFor`), with both evaluators — the compiled one on the compiled document (account
 * names resolved to the account's ids) and the source one on the resolved project. Pure.
 */

/** One identity on which an app of the import decides differently from the account. */
export interface ProofDifference {
  app: string;
  identity: Identity;
  /** What the account (the configuration imported) decides. */
  want: string;
  /** What the import decides. */
  got: string;
  /** Which check found it: an evaluator on a sampled identity, or the analysis engine (`engine`, over every request). */
  evaluator: 'compiled' | 'source' | 'engine';
}

export interface Proof {
  /** Diagnostics of compiling the files (errors mean there is nothing to compare). */
  diagnostics: Diagnostic[];
  apps: number;
  identities: number;
  /** Apps the analysis engine proved to decide alike for every request (identical ones included). */
  proved: number;
  /** Apps the engine could not decide within its budget (the sampled check still ran on them). */
  undecided: string[];
  differences: ProofDifference[];
}

/**
 * Links by literal id (`use extern id("…")`) point at account policies the import leaves as they are: the
 * evaluator gets their bodies from the account, named by id as `liveDocument` names them.
 */
export function withAccountBodies(doc: CompiledProject, live: LiveState): CompiledProject {
  const account = liveDocument(live);
  const extra = new Map<string, WirePolicy>();
  const apps = doc.apps.map((app) => ({
    ...app,
    policies: app.policies.map((link) => {
      if (isPlaceholder(link.id)) return link;
      const body = account.policies.find((p) => p.name === link.id);
      if (body) extra.set(link.id, body);
      return { ...link, id: refToWire({ kind: 'policy', name: link.id }) };
    }),
  }));
  const groups = extra.size === 0 ? doc.groups : [...doc.groups, ...account.groups];
  const out: CompiledProject = { ...doc, groups, policies: [...doc.policies, ...extra.values()], apps };
  // The account's bodies name the lists whose items were read by id (`liveDocument`).
  const lists = [...(doc.lists ?? []), ...(extra.size > 0 ? (account.lists ?? []) : [])];
  if (lists.length > 0) out.lists = lists;
  return out;
}

/** Compile imported files and resolve their account names to the account's ids. */
export function compileImport(files: readonly ImportedFile[], live: LiveState) {
  const analyzed = analyzeSources(files.map((f) => new SourceFile(f.name, f.text)));
  const compiled = compileProject(analyzed.project);
  const doc = compiled.value.document;
  const resolver = new PlaceholderResolver({
    live,
    managed: {
      group: new Map(doc.groups.map((g) => [g.name, undefined])),
      policy: new Map(doc.policies.map((p) => [p.name, undefined])),
      // Declared lists stay named, so their rules decide on the members the document carries.
      lists: new Set(
        (doc.lists ?? []).map((l) => `${l.type === 'EMAIL' ? 'email_list' : 'ip_list'}:${l.name}`),
      ),
    },
    spans: new Map(),
    fallback: { file: '<import>', start: 0, end: 0 },
  });
  // Rules naming a list whose items are known by its id decide on its items, as the account's do.
  const resolved = withKnownLists(withAccountBodies(resolver.resolve(doc), live), live);
  return {
    project: analyzed.project,
    resolved,
    diagnostics: [...analyzed.diagnostics, ...compiled.diagnostics, ...resolver.diagnostics],
  };
}

/** The identity as the source names account objects: by name where the import wrote the name, else by id. */
function sourceNaming(live: LiveState): (identity: Identity) => Identity {
  const names = new Map<RefKind, Map<string, string>>();
  for (const kind of [
    'idp',
    'service_token',
    'email_list',
    'ip_list',
    'device_posture',
    'app',
  ] as RefKind[]) {
    const objects = accountObjects(live, kind);
    const byId = new Map<string, string>();
    for (const o of objects)
      if (o.name !== '' && objects.filter((x) => x.name === o.name).length === 1) byId.set(o.id, o.name);
    names.set(kind, byId);
  }
  const one = (kind: RefKind, v: string | undefined) =>
    v === undefined ? v : (names.get(kind)?.get(v) ?? v);
  const all = (kind: RefKind, v: string[] | undefined) => v?.map((x) => one(kind, x) as string);
  return (id) => {
    const out: Identity = { ...id };
    if (id.loginMethod !== undefined) out.loginMethod = one('idp', id.loginMethod);
    if (id.serviceToken !== undefined) out.serviceToken = one('service_token', id.serviceToken);
    if (id.linkedAppToken !== undefined) out.linkedAppToken = one('app', id.linkedAppToken);
    if (id.emailLists) out.emailLists = all('email_list', id.emailLists);
    if (id.ipLists) out.ipLists = all('ip_list', id.ipLists);
    if (id.devicePosture) out.devicePosture = all('device_posture', id.devicePosture);
    return out;
  };
}

/** Check that the imported files decide, app by app, as the account they were imported from. */
export function proveImport(
  account: LiveState,
  files: readonly ImportedFile[],
  identitiesPerApp = 2000,
): Proof {
  // Zone-level apps are proved like the account's: their ids are unique, their policies their own.
  const live = flattenZones(account);
  const { project, resolved, diagnostics } = compileImport(files, live);
  if (hasErrors(diagnostics))
    return { diagnostics, apps: 0, identities: 0, proved: 0, undecided: [], differences: [] };
  const original = canonicalDocument(liveDocument(live));
  const naming = sourceNaming(live);
  const members = listMemberships(live);
  const differences: ProofDifference[] = [];
  const apps = live.apps.filter((a) => resolved.apps.some((b) => b.name === a.name));
  let checked = 0;
  // Read once: each app is evaluated for up to `identitiesPerApp` identities.
  const originalDoc = new CompiledDocument(original);
  const resolvedDoc = new CompiledDocument(resolved);
  for (const app of apps) {
    // The identities that matter for this app: the values of the rules that can decide for it.
    const identities = identitiesFor(rulesFor(original, app.name), identitiesPerApp, original.lists);
    checked += identities.length;
    for (const identity of identities) {
      const want = evaluateCompiledApp(originalDoc, app.name, identity).decision;
      const compiled = evaluateCompiledApp(resolvedDoc, app.name, identity).decision;
      if (compiled !== want) {
        differences.push({ app: app.name, identity, want, got: compiled, evaluator: 'compiled' });
        break;
      }
      const source = evaluateApp(project, app.name, naming(members(identity))).decision;
      if (source !== want) {
        differences.push({ app: app.name, identity, want, got: source, evaluator: 'source' });
        break;
      }
    }
  }
  // Then over every request, with the engine the access diff uses: the outcome (let in how, or kept out) of each
  // app on both sides, proved equal or a witness where it is not.
  const written = new Set(apps.map((a) => a.name));
  const sampled = new Set(differences.map((d) => d.app));
  const diff = accessDiff({ before: original, after: resolved });
  const undecided: string[] = [];
  let unproved = 0;
  for (const app of diff.apps) {
    if (!written.has(app.app)) continue;
    if (app.status === 'undecided') {
      undecided.push(app.app);
      unproved++;
      continue;
    }
    const change = app.status === 'changed' ? app.changes[0] : undefined;
    if (!change) continue;
    unproved++;
    if (sampled.has(app.app)) continue;
    const identity = change.terms[0]?.witness ?? {};
    differences.push({ app: app.app, identity, want: change.from, got: change.to, evaluator: 'engine' });
  }
  return {
    diagnostics,
    apps: apps.length,
    identities: checked,
    proved: apps.length - unproved,
    undecided,
    differences,
  };
}

/** A short description of an identity for a message: only the attributes it has. */
export function describeIdentity(identity: object): string {
  const parts = Object.entries(identity).map(([k, v]) => `${k} ${JSON.stringify(v)}`);
  return parts.length === 0 ? 'an identity with no attributes' : `an identity with ${parts.join(', ')}`;
}

/** What a proof checked, in one line: `checked: …`. */
export function proofSummary(proof: Proof, against: string): string {
  const decided = proof.apps - proof.differences.length;
  const undecided =
    proof.undecided.length > 0
      ? `; the engine ran out of budget on ${proof.undecided.map((a) => `\`${a}\``).join(', ')}`
      : '';
  return (
    `checked: ${decided} of ${proof.apps} app(s) decide as ${against}: ${proof.proved} proved for every request by ` +
    `the analysis engine${undecided}, and all of them on ${proof.identities} identities with both evaluators\n`
  );
}
