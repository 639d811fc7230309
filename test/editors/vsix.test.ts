import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** The files of a zip archive (a `.vsix` is one), by name. */
function unzip(zip: Buffer): Map<string, Buffer> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + size);
    files.set(name, method === 8 ? inflateRawSync(raw) : raw);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

describe('the VS Code extension', () => {
  it('builds to a .vsix with its grammar, language configuration and bundled client', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-vscode.mjs')], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const vsix = r.stdout.trim();
    expect(vsix).toMatch(/editors\/vscode\/dist\/aclc-\d+\.\d+\.\d+\.vsix$/);
    const files = unzip(readFileSync(vsix));
    expect([...files.keys()].sort()).toEqual([
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt',
      'extension/dist/extension.js',
      'extension/language-configuration.json',
      'extension/package.json',
      'extension/readme.md',
      'extension/syntaxes/acl.tmLanguage.json',
    ]);
    const manifest = JSON.parse(String(files.get('extension/package.json')));
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.contributes.grammars[0]).toMatchObject({ language: 'acl', scopeName: 'source.acl' });
    expect(manifest.contributes.languages[0].extensions).toEqual(['.acl']);
    // The client is bundled (no node_modules in the package) and leaves `vscode` to the editor.
    const client = String(files.get('extension/dist/extension.js'));
    expect(client).toContain('require("vscode")');
    expect(client).toContain('aclc.restartServer');
    expect(JSON.parse(String(files.get('extension/syntaxes/acl.tmLanguage.json'))).scopeName).toBe(
      'source.acl',
    );
    JSON.parse(String(files.get('extension/language-configuration.json')));
    expect(String(files.get('extension.vsixmanifest'))).toContain('Id="aclc"');
  }, 120_000);

  it('has the version of aclc', () => {
    const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const extension = JSON.parse(readFileSync(join(root, 'editors', 'vscode', 'package.json'), 'utf8'));
    expect(extension.version).toBe(main.version);
  });
});
