import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStateFile } from '../../src/emulator/persist.js';

describe('docs/emulator.md', () => {
  it('its seed example loads, with the API defaults filled in', async () => {
    const text = await readFile(join(import.meta.dirname, '..', '..', 'docs', 'emulator.md'), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(text)?.[1];
    if (!example) throw new Error('no seed example in docs/emulator.md');
    const dir = await mkdtemp(join(tmpdir(), 'aclc-doc-'));
    try {
      const file = join(dir, 'seed.json');
      await writeFile(file, example);
      const state = await loadStateFile(file, 'seed file', {
        now: '2025-01-01T00:00:00.000Z',
        newId: () => 'x',
      });
      expect(state?.apps.map((a) => [a.name, a.session_duration, a.policies])).toEqual([
        ['Wiki', '24h', [{ id: 'c0a7ac70-0000-4000-8000-0000000000b1', precedence: 1 }]],
      ]);
      expect(state?.app_policies.map((p) => [p.name, p.app_id, p.session_duration])).toEqual([
        ['Break glass', 'c0a7ac70-0000-4000-8000-0000000000a1', '24h'],
      ]);
      expect(state?.policies[0]?.connection_rules).toEqual({ ssh: { usernames: ['root'] } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
