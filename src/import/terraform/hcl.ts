import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { TfDocument } from './show-json.js';

/** `.tf` files, read directly (not yet: the `terraform show -json` route reads every configuration). */
export async function readTfFiles(
  _full: string,
  path: string,
  _isDir: boolean,
): Promise<{ doc?: TfDocument; diagnostics: Diagnostic[] }> {
  return {
    diagnostics: [
      diagnostic(
        'ACL0740',
        { file: path, start: 0, end: 0 },
        { path, reason: 'reading `.tf` files directly is not supported yet' },
      ),
    ],
  };
}
