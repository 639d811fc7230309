import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { withRedactor } from '../redact/context.js';
import { createRedactor } from '../redact/redactor.js';
import { collectSecrets } from '../redact/secrets.js';
import { type Io, processIo, redactingIo } from './context.js';
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

  // Options that several commands share, written once.
  const diagnosticsOption = (): Option =>
    new Option('--diagnostics <format>', 'how to print diagnostics')
      .choices(['human', 'json'])
      .default('human');
  const accountOptions = (command: Command): Command =>
    command
      .option(
        '--api-base <url>',
        'API endpoint (default: $ACLC_API_BASE or https://api.cloudflare.com/client/v4)',
      )
      .option('--account-id <id>', 'Cloudflare account id (default: $CLOUDFLARE_ACCOUNT_ID)');

  program
    .command('compile')
    .description('compile .acl files to the JSON bodies the Cloudflare Access API takes')
    .argument('[paths...]', '.acl files or folders (default: the current folder)')
    .option('--app <name>', 'compile only this app and what it uses')
    .option('-o, --out <file>', 'write the JSON to a file (atomically) instead of stdout')
    .addOption(new Option('--format <format>', 'JSON layout').choices(['json', 'pretty']).default('pretty'))
    .addOption(
      new Option('--diagnostics <format>', 'how to print diagnostics')
        .choices(['human', 'json'])
        .default('human'),
    )
    .action(async (paths: string[], options) => {
      const { runCompile } = await import('./commands/compile.js');
      setExit(await runCompile(paths, options, io));
    });

  program
    .command('lint')
    .description(
      'check .acl files: compiler errors plus lint rules, with exact semantic checks and witnesses',
    )
    .argument('[paths...]', '.acl files or folders (default: the current folder)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['human', 'json', 'sarif', 'github'])
        .default('human'),
    )
    .option(
      '--max-warnings <n>',
      'exit 1 when there are more warnings than this (-1: no limit)',
      (value: string) => {
        if (!/^(-1|[0-9]+)$/.test(value))
          throw new InvalidArgumentError('expected a whole number, or -1 for no limit');
        return Number(value);
      },
    )
    .option('-q, --quiet', 'report errors only (warnings still count for --max-warnings)')
    .option('--output-file <file>', 'write the report to this file (atomically) instead of stdout')
    .option('--fix', 'apply safe fixes to the files (atomically)')
    .option('--config <file>', 'configuration file (default: the nearest aclc.config.json)')
    .option('--stdin-filename <path>', 'lint the text on stdin as if it were saved at this path')
    .option('--emit-tests <file>', 'write a regression test (.acltest) for every finding with a witness')
    .action(async (paths: string[], options) => {
      const { runLint } = await import('./commands/lint.js');
      setExit(await runLint(paths, { ...options, version: VERSION }, io));
    });

  program
    .command('fmt')
    .description('format .acl files canonically (atomic rewrite); --check prints a diff instead')
    .argument('[paths...]', '.acl files or folders (default: the current folder)')
    .option('--check', 'change nothing; print a diff and exit 1 when files are not formatted')
    .option(
      '--stdin-filename <path>',
      'format the text on stdin as if it were at this path; print it to stdout',
    )
    .action(async (paths: string[], options) => {
      const { runFmt } = await import('./commands/fmt.js');
      setExit(await runFmt(paths, options, io));
    });

  program
    .command('lsp')
    .description('run the language server (Language Server Protocol over stdin/stdout) for editors')
    .option('--stdio', 'talk over stdin/stdout (the default and only transport; accepted for editor clients)')
    .action(async () => {
      const { runLsp } = await import('./commands/lsp.js');
      setExit(await runLsp(io));
    });

  program
    .command('init')
    .description(
      'write a starter project: aclc.config.json, policies.acl and an emulator seed (never overwrites)',
    )
    .argument('[folder]', 'where to write it (default: the current folder)')
    .action(async (folder: string | undefined) => {
      const { runInit } = await import('./commands/init.js');
      setExit(await runInit(folder, io));
    });

  program
    .command('rule')
    .description('print the documentation of a rule or a code (e.g. `aclc rule ACL0302`); --all lists them')
    .argument('[name]', 'a lint rule id, a rule name or a code')
    .option('--all', 'list every rule and code')
    .action(async (name: string | undefined, options) => {
      const { runRule } = await import('./commands/rule.js');
      setExit(runRule(name, options, io));
    });

  program
    .command('test')
    .description(
      'run the example tests and prove the invariants of .acltest files on the compiled configuration',
    )
    .argument('[paths...]', '.acltest files, or folders to search for them (default: the current folder)')
    .addOption(
      new Option('--reporter <format>', 'output format')
        .choices(['human', 'json', 'junit', 'github'])
        .default('human'),
    )
    .option('--filter <regex>', 'run only the tests whose name matches (case-insensitive)')
    .option('--coverage', 'report coverage of the decision space, with a witness for each unreached region')
    .option(
      '--coverage-min <percent>',
      'exit 1 when decision-space coverage is below this',
      (value: string) => {
        if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || Number(value) > 100)
          throw new InvalidArgumentError('expected a percentage from 0 to 100');
        return Number(value);
      },
    )
    .option('--watch', 'rerun the tests a change affects, until interrupted')
    .action(async (paths: string[], options) => {
      const { runTest } = await import('./commands/test.js');
      setExit(await runTest(paths, options, io));
    });

  program
    .command('explain')
    .description('show what Access decides for one identity, and why: every policy and rule, in order')
    .argument('[paths...]', '.acl files or folders (default: the current folder)')
    .option('--app <name>', 'the app (default: every app)')
    .option(
      '--as <attributes>',
      'the identity, e.g. `email=bob@example.com,country=DE,idp=okta,auth_method=mfa`',
    )
    .option('--identity <file>', 'the identity as a JSON file (attribute → value or list)')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action(async (paths: string[], options) => {
      const { runExplain } = await import('./commands/explain.js');
      setExit(await runExplain(paths, options, io));
    });

  program
    .command('diff')
    .description('who gains and who loses access between two versions of the code (offline)')
    .argument(
      '[revisions...]',
      'none: HEAD against the working tree; one: that revision against the working tree; two: the first against the second (git revisions, or two project folders)',
    )
    .option(
      '-p, --project <path...>',
      'the project folders or files to compare (default: the current folder)',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['human', 'json', 'markdown', 'github'])
        .default('human'),
    )
    .option('--fail-on-widen', 'exit 1 when the change lets in any request that was kept out')
    .addOption(diagnosticsOption())
    .action(async (revisions: string[], options) => {
      const { runDiff } = await import('./commands/diff.js');
      setExit(await runDiff(revisions, options, io));
    });

  const deployOptions = (command: Command): Command =>
    accountOptions(command)
      .option('--state <file>', 'ownership ledger (default: .aclc/state.json in the project folder)')
      .option('--prune', 'delete objects aclc created that the code no longer declares')
      .option('--parallelism <n>', 'API requests in flight at once (default 4)')
      .addOption(diagnosticsOption());

  deployOptions(
    program
      .command('plan')
      .description('show what `apply` would change in the Cloudflare account')
      .argument('[paths...]', '.acl files or folders (default: the current folder)'),
  )
    .option('-o, --out <file>', 'save the plan (JSON, no credentials) for `aclc apply <file>`')
    .option('--fail-on-widen', 'exit 1 when the plan lets in any request that is kept out now')
    .option(
      '--detailed-exitcode',
      'exit 0 when there are no changes, 2 when there are (orphans count), 1 on any error',
    )
    .option('--ignore-orphans', 'with --detailed-exitcode, do not count orphans that still decide access')
    .option('--adopt', 'approve taking over declared objects made outside aclc (recorded in a saved plan)')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .option('--width <columns>', 'wrap the plan to this many columns (default: the terminal, else 80)')
    .action(async (paths: string[], options) => {
      const { runPlan } = await import('./commands/plan.js');
      setExit(await runPlan(paths, options, io));
    });

  deployOptions(
    program
      .command('apply')
      .description('make the Cloudflare account match the code (or a saved plan)')
      .argument('[plan-or-paths...]', 'a plan saved by `aclc plan --out`, or .acl files or folders'),
  )
    .option('--auto-approve', 'do not ask for confirmation (a saved plan is applied without asking)')
    .option('--adopt', 'take over declared objects that exist in the account but were not created by aclc')
    .option('--width <columns>', 'wrap the plan to this many columns (default: the terminal, else 80)')
    .option('--allow-no-policy', 'allow leaving an app without any policy')
    .option('--allow-detach-all', 'allow detaching every policy an app has now')
    .option('--allow-everyone', 'allow opening an app to everyone')
    .option('--allow-widen', 'allow widening access to an app listed in `sensitiveApps`')
    .option('--force-unlock', 'remove the state ledger lock left by an apply that did not finish')
    .option(
      '--lock-timeout <duration>',
      'wait this long for the account lock another apply holds (e.g. 30s, 5m)',
    )
    .option('--no-account-lock', 'do not take the lock held in the account (serialize applies yourself)')
    .action(async (args: string[], options) => {
      const { runApply } = await import('./commands/apply.js');
      setExit(await runApply(args, options, io));
    });

  program
    .command('show')
    .description('print a plan saved by `aclc plan --out` (its digest checked), for people or as JSON')
    .argument('<plan>', 'the saved plan (JSON)')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .option('--width <columns>', 'wrap the plan to this many columns (default: the terminal, else 80)')
    .addOption(diagnosticsOption())
    .action(async (plan: string, options) => {
      const { runShow } = await import('./commands/show.js');
      setExit(await runShow(plan, options, io));
    });

  accountOptions(
    program
      .command('import')
      .description('write .acl files from an existing Cloudflare account (or a JSON export of one)')
      .option('--from <file>', 'read this JSON export instead of the API')
      .option(
        '--from-terraform <path>',
        'read a Terraform configuration instead: `terraform show -json` output, or `.tf` files (see docs/terraform.md)',
      )
      .option(
        '--handover <file>',
        'with --from-terraform: write the Terraform hand-over here instead of printing it',
      )
      .option('-o, --out <dir>', 'folder to write idps.acl, groups.acl, policies.acl and apps.acl in', '.')
      .option(
        '--zone <zone...>',
        "also read these zones' Access apps and groups: a domain (`example.com`) or a zone id; only the zones named are read",
      )
      .option('--force', 'overwrite files that exist'),
  )
    .addOption(diagnosticsOption())
    .action(async (options) => {
      const { runImport } = await import('./commands/import.js');
      setExit(await runImport(options, io));
    });

  accountOptions(
    program
      .command('export')
      .description('write the account as a JSON export (read by `aclc import --from`; see docs/export.md)')
      .option('-o, --out <file>', 'write the export to this file (atomically) instead of stdout')
      .option(
        '--zone <zone...>',
        "also export these zones' Access apps and groups: a domain (`example.com`) or a zone id",
      ),
  )
    .addOption(diagnosticsOption())
    .action(async (options) => {
      const { runExport } = await import('./commands/export.js');
      setExit(await runExport(options, io));
    });

  program
    .command('emulator')
    .description('run a local emulator of the Cloudflare Access API (for tests and demos)')
    .option('--port <n>', 'TCP port (0: a free one)', '8787')
    .option('--host <addr>', 'interface to listen on', '127.0.0.1')
    .option('--token <token>', 'the API token clients must send')
    .option('--account <id>', 'the account id it serves')
    .option('--state <file>', 'persist the account to this file (atomically), reloaded on start')
    .option('--seed <file>', 'start from this account (JSON)')
    .option('--fail-rate <p>', 'fail this fraction of requests (0 to 1)')
    .option('--fail-mode <mode>', 'how failures show: before, after, reset, mixed')
    .option('--rate-limit <n/window>', 'answer 429 past N requests per window, e.g. 1200/300s')
    .option('--latency <ms>', 'delay every answer')
    .option('--tag-duplicates <mode>', 'a create of an existing Access tag name: refuse (409) or accept')
    .action(async (options) => {
      const { runEmulator } = await import('./commands/emulator.js');
      setExit(await runEmulator(options, io));
    });

  return program;
}

/**
 * Runs the CLI and returns its exit code; never throws. Everything the command prints goes through a redactor that
 * knows the secrets of this run (the environment's token or key, credentials in URLs and flags, and what the API
 * client learns later), and so does every file it writes (`src/redact/context.ts`).
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const redactor = createRedactor(collectSecrets(io.env, argv));
  return withRedactor(redactor, () => run(argv, redactingIo(io, redactor)));
}

/** Whether the command line asks `plan` for `--detailed-exitcode` (read before commander has parsed it). */
function detailedExitcode(argv: readonly string[]): boolean {
  return argv.find((a) => !a.startsWith('-')) === 'plan' && argv.includes('--detailed-exitcode');
}

async function run(argv: string[], io: Io): Promise<number> {
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
      // Under `plan --detailed-exitcode`, 2 means "changes present": every error, usage errors included, is 1.
      return detailedExitcode(argv) ? EXIT.errors : EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(
      `internal error: ${message}\nthis is a bug in aclc; please report it with the input that caused it\n`,
    );
    return EXIT.internal;
  }
}
