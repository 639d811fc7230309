import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessApp, AccessGroup } from '../../src/api/types.js';
import type { Ownership } from '../../src/deploy/ledger.js';
import type { LiveState } from '../../src/deploy/live.js';
import { planZones, splitScopes } from '../../src/deploy/zone-plan.js';
import type { CompiledProject } from '../../src/model/compiled.js';

const ZONE = '0123456789abcdef0123456789abcdef';
const STAMP = { created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' };

const groupRule = (id: string) => ({ group: { id } });
const liveGroup = (id: string, name: string, include: unknown[] = [{ everyone: {} }]): AccessGroup =>
  ({ id, name, include, exclude: [], require: [], ...STAMP }) as unknown as AccessGroup;
const liveApp = (id: string, name: string, include: unknown[]): AccessApp =>
  ({
    id,
    name,
    type: 'self_hosted',
    domain: `${id}.example.com`,
    policies: [
      { id: `p-${id}`, name: 'P', decision: 'allow', include, exclude: [], require: [], precedence: 1 },
    ],
    ...STAMP,
  }) as unknown as AccessApp;

describe('splitScopes', () => {
  it('puts every object in exactly one scope: the account unless `scopes` names its zone', () => {
    const names = fc.uniqueArray(fc.stringMatching(/^[A-Z][a-z]{0,5}$/), { maxLength: 6 });
    const zone = fc.constantFrom(undefined, 'example.com', ZONE);
    fc.assert(
      fc.property(
        names,
        names,
        names,
        fc.array(zone, { minLength: 18, maxLength: 18 }),
        (gs, ps, as, zones) => {
          const scopes: Record<string, string> = {};
          const doc: CompiledProject = {
            groups: gs.map((name) => ({ name, include: [], exclude: [], require: [] })),
            policies: ps.map((name) => ({ name, decision: 'allow', include: [], exclude: [], require: [] })),
            apps: as.map((name) => ({ name, type: 'self_hosted', domain: 'a.example.com', policies: [] })),
          };
          const keys = [
            ...gs.map((n) => `group:${n}`),
            ...ps.map((n) => `policy:${n}`),
            ...as.map((n) => `app:${n}`),
          ];
          keys.forEach((k, i) => {
            const z = zones[i];
            if (z !== undefined) scopes[k] = z;
          });
          if (Object.keys(scopes).length > 0) doc.scopes = scopes;
          const { account, zones: byZone } = splitScopes(doc);
          const placed = new Map<string, string | undefined>();
          const place = (key: string, where: string | undefined) => {
            expect(placed.has(key)).toBe(false);
            placed.set(key, where);
          };
          for (const g of account.groups) place(`group:${g.name}`, undefined);
          for (const p of account.policies) place(`policy:${p.name}`, undefined);
          for (const a of account.apps) place(`app:${a.name}`, undefined);
          for (const [z, d] of byZone) {
            for (const g of d.groups) place(`group:${g.name}`, z);
            for (const p of d.policies.keys()) place(`policy:${p}`, z);
            for (const a of d.apps) place(`app:${a.name}`, z);
          }
          expect(new Map(keys.map((k) => [k, scopes[k]]))).toEqual(placed);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('planZones prune', () => {
  const doc: CompiledProject = {
    groups: [{ name: 'Kept', include: [{ everyone: {} }], exclude: [], require: [] }],
    policies: [],
    apps: [],
    scopes: { 'group:Kept': 'example.com' },
  };

  it('deletes only what the ledger says aclc created in the zone, and keeps what something staying uses', () => {
    // Objects: o* owned by aclc, s* a stranger's; aclc's group g1 is used by the stranger's app.
    const live: LiveState = {
      groups: [],
      policies: [],
      apps: [],
      zones: [
        {
          key: 'example.com',
          id: ZONE,
          groups: [liveGroup('g1', 'Used'), liveGroup('g2', 'Unused'), liveGroup('s1', 'Theirs')],
          apps: [liveApp('a1', 'Mine', [{ everyone: {} }]), liveApp('s2', 'Hand made', [groupRule('g1')])],
        },
      ],
    };
    const ownership: Ownership = { hasLedger: true, ids: new Set(['g1', 'g2', 'a1']), aliases: new Map() };
    const input = { document: doc, live, ownership, spans: new Map(), accountChanges: [] };
    const pruned = planZones({ ...input, prune: true });
    expect(pruned.diagnostics).toEqual([]);
    expect(pruned.changes.map((c) => [c.action, c.kind, c.name, c.zone?.id])).toEqual([
      ['create', 'group', 'Kept', ZONE],
      ['delete', 'app', 'Mine', ZONE],
      ['delete', 'group', 'Unused', ZONE],
    ]);
    expect(pruned.kept).toEqual([
      {
        kind: 'group',
        name: 'Used',
        id: 'g1',
        reason: 'in-use',
        usedBy: 'app `Hand made`',
        zone: 'example.com',
      },
    ]);
    // Without --prune nothing is deleted; what would be is listed as kept.
    const kept = planZones({ ...input, prune: false });
    expect(kept.changes.filter((c) => c.action === 'delete')).toEqual([]);
    expect(kept.kept.map((k) => [k.name, k.reason]).sort()).toEqual([
      ['Mine', 'not-pruned'],
      ['Unused', 'not-pruned'],
      ['Used', 'in-use'],
    ]);
  });

  it('never deletes an object the ledger does not hold, nor a group something staying uses', () => {
    let deleting = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ owned: fc.boolean(), usedBy: fc.option(fc.nat(5), { nil: undefined }) }), {
          maxLength: 6,
        }),
        fc.array(fc.record({ owned: fc.boolean(), uses: fc.option(fc.nat(5), { nil: undefined }) }), {
          maxLength: 6,
        }),
        (groupSpecs, appSpecs) => {
          const groups = groupSpecs.map((g, i) => {
            const uses = g.usedBy !== undefined && g.usedBy < groupSpecs.length && g.usedBy !== i;
            return liveGroup(`g${i}`, `G${i}`, uses ? [groupRule(`g${g.usedBy}`)] : [{ everyone: {} }]);
          });
          const apps = appSpecs.map((a, i) =>
            liveApp(
              `a${i}`,
              `A${i}`,
              a.uses !== undefined && a.uses < groups.length ? [groupRule(`g${a.uses}`)] : [{ everyone: {} }],
            ),
          );
          const owned = new Set([
            ...groupSpecs.flatMap((g, i) => (g.owned ? [`g${i}`] : [])),
            ...appSpecs.flatMap((a, i) => (a.owned ? [`a${i}`] : [])),
          ]);
          const live: LiveState = {
            groups: [],
            policies: [],
            apps: [],
            zones: [{ key: 'example.com', id: ZONE, groups, apps }],
          };
          const plan = planZones({
            document: doc,
            live,
            ownership: { hasLedger: true, ids: owned, aliases: new Map() },
            prune: true,
            spans: new Map(),
            accountChanges: [],
          });
          const deleted = new Set(
            plan.changes.filter((c) => c.action === 'delete').map((c) => (c as { id: string }).id),
          );
          if (deleted.size > 0) deleting++;
          for (const id of deleted) expect(owned.has(id)).toBe(true);
          // What stays uses no deleted group.
          for (const o of [...groups, ...apps]) {
            if (deleted.has(o.id)) continue;
            const text = JSON.stringify(o);
            for (const id of deleted) expect(text).not.toContain(`"id":"${id}"`);
          }
        },
      ),
      { numRuns: 300 },
    );
    // Not vacuous: most runs delete something (249 to 273 of 300 over 20 seeds).
    expect(deleting).toBeGreaterThan(100);
  });
});
