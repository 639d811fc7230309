import type { ProgressEvent } from '../deploy/execute.js';
import type { Change } from '../deploy/plan.js';
import type { Io } from './context.js';

const PAST = { create: 'created', update: 'updated', delete: 'deleted' } as const;
const ING = { create: 'creating', update: 'updating', delete: 'deleting' } as const;

function what(change: Change): string {
  return `${change.kind} "${change.name}"`;
}

export interface Progress {
  onEvent(event: ProgressEvent): void;
  /** End the bar (TTY) so later output starts on a fresh line. */
  finish(): void;
}

/**
 * Progress of an apply on stderr: a bar redrawn in place on a terminal, one plain line per finished change
 * otherwise (CI logs).
 */
export function createProgress(io: Io, total: number): Progress {
  if (!io.stderrIsTTY) {
    const width = String(total).length;
    return {
      onEvent(e) {
        if (e.type === 'done') {
          const n = String(e.completed).padStart(width);
          io.err(`[${n}/${total}] ${PAST[e.change.action]} ${what(e.change)} (id ${e.id}, ${e.ms} ms)\n`);
        } else if (e.type === 'failed') {
          io.err(
            `[${String(e.completed).padStart(width)}/${total}] failed to ${e.change.action} ${what(e.change)}\n`,
          );
        }
      },
      finish() {},
    };
  }
  let completed = 0;
  let current = '';
  let drawn = false;
  const draw = (): void => {
    const cols = 24;
    const filled = total === 0 ? cols : Math.round((completed / total) * cols);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(cols - filled)}`;
    const line = `${bar} ${completed}/${total} ${current}`;
    io.err(`\r\u001b[2K${line.length > 110 ? `${line.slice(0, 109)}…` : line}`);
    drawn = true;
  };
  return {
    onEvent(e) {
      if (e.type === 'start') current = `${ING[e.change.action]} ${what(e.change)}`;
      else if (e.type === 'done') completed = e.completed;
      else current = `failed to ${e.change.action} ${what(e.change)}`;
      draw();
    },
    finish() {
      if (drawn) io.err('\n');
    },
  };
}

/**
 * `reading the account…` on stderr while a slow account is read, only on a terminal (never in CI logs, files or
 * JSON output: `quiet` when diagnostics go out as JSON); `stop()` erases it. A spinner turns every 100 ms so a stalled read is visible.
 */
export function readingIndicator(io: Io, quiet = false, text = 'reading the account'): { stop(): void } {
  if (!io.stderrIsTTY || quiet) return { stop() {} };
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let i = 0;
  const draw = () => io.err(`\r\u001b[2K${frames[i++ % frames.length]} ${text}…`);
  draw();
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      io.err('\r\u001b[2K');
    },
  };
}
