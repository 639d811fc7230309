/**
 * Writing to the process's standard output and error when they may be closed (`aclc lint | head -c 100`: EPIPE) or
 * full (`> /dev/full`: ENOSPC). Node reports those as an `error` event, which unhandled ends the process with a stack
 * trace. Here the first failure is remembered instead: later writes to that stream are dropped, a full disk is said
 * once on stderr (a closed pipe quietly, as other tools do), and the exit code is not 0 (see bin.ts).
 */

type Name = 'stdout' | 'stderr';

const failures = new Map<Name, string>();
const watched = new Set<Name>();

function streamOf(name: Name): NodeJS.WriteStream {
  return name === 'stdout' ? process.stdout : process.stderr;
}

function record(name: Name, error: unknown): void {
  if (failures.has(name)) return;
  const code = (error as { code?: string } | null)?.code ?? 'write failed';
  failures.set(name, code);
  if (name === 'stdout' && code !== 'EPIPE' && !failures.has('stderr')) {
    const reason = code === 'ENOSPC' ? 'no space left on device' : code;
    write('stderr', `error: cannot write to standard output: ${reason}\n`);
  }
}

function watch(name: Name): void {
  if (watched.has(name)) return;
  watched.add(name);
  streamOf(name).on('error', (error) => record(name, error));
}

/** Write `text` to stdout or stderr; never throws, and drops the text once that stream has failed. */
export function write(name: Name, text: string): void {
  if (failures.has(name)) return;
  watch(name);
  try {
    streamOf(name).write(text);
  } catch (error) {
    record(name, error);
  }
}

/** Resolves once the text written to stdout or stderr has been handed to the system, or the stream failed or closed. */
export function drained(name: Name): Promise<void> {
  const stream = streamOf(name);
  if (failures.has(name) || !stream.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

/** The error code of the first failed write to stdout or stderr, if any. */
export function outputFailure(): string | undefined {
  return failures.get('stdout') ?? failures.get('stderr');
}
