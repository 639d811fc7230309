import { resolve } from 'node:path';
import type { Io } from './context.js';

/** What a command runs on when `--stdin-filename PATH` is given: PATH, with its text taken from stdin. */
export interface StdinTarget {
  /** The path to discover projects from, instead of the positional paths. */
  paths: string[];
  /** PATH (absolute) → the text read from stdin, for `discoverProjects`' overlay. */
  overlay: Map<string, string>;
}

/**
 * Read stdin for `--stdin-filename PATH`: the text stands in for PATH (which need not exist), and the project is
 * found as if the text were saved there. Returns a usage message instead when paths were given as well or there is
 * no stdin to read.
 */
export async function readStdinTarget(
  stdinFilename: string,
  paths: readonly string[],
  io: Io,
): Promise<StdinTarget | { usage: string }> {
  if (paths.length > 0)
    return { usage: 'give either paths or `--stdin-filename`, not both (the text comes from stdin)' };
  if (stdinFilename.trim() === '') return { usage: '`--stdin-filename` needs a path' };
  if (!io.readStdin) return { usage: 'there is no standard input to read' };
  const text = await io.readStdin();
  return { paths: [stdinFilename], overlay: new Map([[resolve(io.cwd, stdinFilename), text]]) };
}
