import {
  type EmulatorCliFlags,
  emulatorBanner,
  parseEmulatorFlags,
  serveEmulator,
} from '../../emulator/cli.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT } from '../exit-codes.js';

export interface EmulatorCommandOptions extends EmulatorCliFlags {
  /** Resolves when the emulator should stop (default: on SIGINT or SIGTERM). */
  until?: Promise<unknown>;
}

function signalled(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = stop('SIGINT');
    const onTerm = stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

/**
 * `aclc emulator`: serve the Access API emulator, print where it listens and how to point aclc at it, run until
 * SIGINT / SIGTERM, then close (state already persisted after every acknowledged write).
 */
export async function runEmulator(options: EmulatorCommandOptions, io: Io): Promise<number> {
  // Listen for signals before anything is printed: a caller that reads the banner may signal at once.
  const stopped = options.until ?? signalled();
  const parsed = parseEmulatorFlags(options);
  if (!parsed.value) {
    reportDiagnostics(io, parsed.diagnostics, []);
    return EXIT.usage;
  }
  const served = await serveEmulator(parsed.value);
  if (!served.value) {
    reportDiagnostics(io, served.diagnostics, []);
    return EXIT.errors;
  }
  const handle = served.value;
  io.out(`${emulatorBanner(handle, parsed.value).join('\n')}\n`);
  const why = await stopped;
  await handle.close();
  io.err(`emulator stopped${typeof why === 'string' ? ` (${why})` : ''}\n`);
  return EXIT.ok;
}
