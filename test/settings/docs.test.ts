import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsDocument } from '../../src/settings/docs.js';

describe('docs/settings.md', () => {
  it('is the reference generated from the settings tables', () => {
    const file = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'settings.md'), 'utf8');
    expect(file).toBe(settingsDocument());
  });
});
