import { Command, CommanderError, Option } from 'commander';
import { type Io, processIo } from './context.js';
import { EXIT } from './exit-codes.js';

declare const ACLC_VERSION: string;
/** Injected by the bundler; the fallback serves runs from source (tests). */
export const VERSION = typeof ACLC_VERSION === 'string' ? ACLC_VERSION : '0.0.0-dev';

/**
 * Builds the command tree. Command modules are imported lazily so that `aclc lint` in a pre-commit hook never
 * loads the HTTP client or the compiler's schemas.
 */
export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('aclc')
    .description('Policy-as-code compiler and linter for Cloudflare Access')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run `aclc --help` for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  program
    .command('compile')
    .description('compile .acl files to the JSON bodies the Cloudflare Access API takes')
    .argument('[paths...]', '.acl files or folders (default: the current folder)')
    .option('--app <name>', 'compile only this app and what it uses')
    .option('-o, --out <file>', 'write the JSON to a file (atomically) instead of stdout')
    .addOption(new Option('--format <format>', 'JSON layout').choices(['json', 'pretty']).default('pretty'))
    .addOption(
      new Option('--diagnostics <format>', 'how to print diagnostics').choices(['human', 'json']).default('human'),
    )
    .action(async (paths: string[], options) => {
      const { runCompile } = await import('./commands/compile.js');
      setExit(await runCompile(paths, options, io));
    });

  return program;
}

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`internal error: ${message}\nthis is a bug in aclc; please report it with the input that caused it\n`);
    return EXIT.internal;
  }
}
