import { createInterface } from 'node:readline/promises';
import { type Io, processIo } from './context.js';

/** An `Io` that can ask the user; when absent, `apply` asks on the process's terminal (only for `processIo`). */
export interface ApplyIo extends Io {
  confirm?(question: string): Promise<boolean>;
  /**
   * Calls `listener` on an interrupt (Ctrl-C); returns a function that stops listening. When absent, `apply`
   * listens for the process's SIGINT (only for `processIo`).
   */
  onInterrupt?(listener: () => void): () => void;
}

/** Subscribe to interrupts: the `Io`'s own, or the process's SIGINT when running on the real process. */
export function listenForInterrupt(io: ApplyIo, listener: () => void): () => void {
  if (io.onInterrupt) return io.onInterrupt(listener);
  if ((io.base ?? io) !== processIo) return () => {};
  process.on('SIGINT', listener);
  return () => process.off('SIGINT', listener);
}

const QUESTION = 'Do you want to perform these actions? Only `yes` will be accepted: ';

/**
 * Ask whether to apply: through the `Io`'s `confirm`, else on the process's terminal; `undefined` when there is no
 * one to ask (not a terminal). Ctrl-C at the prompt calls `onInterrupt` and answers no.
 */
export async function confirmApply(io: ApplyIo, onInterrupt: () => void): Promise<boolean | undefined> {
  return io.confirm ? await io.confirm(QUESTION) : await askTerminal(io, onInterrupt);
}

async function askTerminal(io: Io, onInterrupt: () => void): Promise<boolean | undefined> {
  if ((io.base ?? io) !== processIo || !process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl-C at the prompt reaches readline, not the process: it interrupts the apply like anywhere else.
  const aborted = new AbortController();
  rl.on('SIGINT', () => {
    onInterrupt();
    aborted.abort();
  });
  try {
    return (await rl.question(QUESTION, { signal: aborted.signal })).trim() === 'yes';
  } catch {
    return false;
  } finally {
    rl.close();
  }
}
