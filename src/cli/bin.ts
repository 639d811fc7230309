import { EXIT } from './exit-codes.js';
import { main } from './main.js';
import { outputFailure } from './stdout.js';

// The only place that touches process.exitCode: everything below returns codes.
let settled = false;
/** A failure seen outside `main`'s result (an unobserved rejection); the exit code cannot then be 0. */
let stray = false;

const say = (text: string): void => {
  try {
    process.stderr.write(text);
  } catch {
    // Nowhere left to say it; the exit code still does.
  }
};

// INVARIANT: the process never exits 0 without `main` having returned 0. When the event loop empties while `main`
// is still pending (a promise nothing will ever settle), the work did not finish: that is a failure, never success.
process.on('beforeExit', () => {
  if (settled) return;
  settled = true;
  say('internal error: aclc stopped before finishing its work (a pending operation never ended)\n');
  say('this is a bug in aclc; please report it with the command that caused it\n');
  process.exitCode = EXIT.internal;
});

process.on('unhandledRejection', (reason) => {
  if (stray) return;
  stray = true;
  const message = reason instanceof Error ? reason.message : String(reason);
  say(`internal error: an operation failed unobserved: ${message}\n`);
  process.exitCode = EXIT.internal;
});

// Output that could not be written (a closed pipe, a full disk) is a failure too; the stream reports it after the
// write, possibly after `main` returned, so this is decided last.
process.on('exit', () => {
  if (process.exitCode === undefined || process.exitCode === EXIT.ok) {
    if (stray) process.exitCode = EXIT.internal;
    else if (outputFailure()) process.exitCode = EXIT.errors;
  }
});

main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  () => {
    settled = true;
    process.exitCode = EXIT.internal;
  },
);
