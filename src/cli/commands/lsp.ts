import type { Io } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { VERSION } from '../main.js';

/**
 * `aclc lsp`: the language server over stdin/stdout. Its libraries load only here, so no other command pays for
 * them. The server ends the process itself on the client's `exit` (or when stdin closes).
 */
export async function runLsp(io: Io): Promise<number> {
  if (io.stdoutIsTTY)
    io.err('aclc lsp speaks the Language Server Protocol on stdin/stdout; start it from an editor\n');
  const { startServer } = await import('../../lsp/server.js');
  startServer(process.stdin, process.stdout, VERSION);
  // The connection owns the process from here until the client says `exit` (which ends the process) or closes
  // stdin: only then does the command end (bin.ts treats a command still pending when nothing is left to run as a
  // failure, so this must settle).
  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  return EXIT.ok;
}
