import type { Command } from 'commander';
import { CONFIG_ENV, DEFAULT_CONFIG_PATH } from '../../config/constants.js';
import { Redactor } from '../../core/redact.js';
import { EXIT } from '../exit-codes.js';
import { describeError } from './errors.js';
import { toJson } from './json.js';

export { CONFIG_ENV, DEFAULT_CONFIG_PATH };

export type Env = Readonly<Record<string, string | undefined>>;

/** The options every command shares (registered on the root program). */
export interface GlobalOptions {
  readonly configPath: string;
  readonly json: boolean;
  readonly logLevel: string | undefined;
}

/** Reads `--config`, `--json` and `--log-level` wherever they were given on the command line. */
export function globalOptions(command: Command, env: Env = process.env): GlobalOptions {
  const opts = command.optsWithGlobals<Record<string, unknown>>();
  const config = typeof opts['config'] === 'string' && opts['config'] !== '' ? opts['config'] : undefined;
  const fromEnv = env[CONFIG_ENV];
  return {
    configPath: config ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_CONFIG_PATH),
    json: opts['json'] === true,
    logLevel: typeof opts['logLevel'] === 'string' ? opts['logLevel'] : undefined,
  };
}

/** Where a command writes. Tests pass buffers; the CLI passes the process streams. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
};

/** What `runAction` hands a command body. */
export interface ActionContext {
  readonly globals: GlobalOptions;
  readonly redactor: Redactor;
}

/**
 * Runs a command body and turns its result or error into the documented exit code. The body gets a
 * Redactor: every secret it registers is scrubbed from the error message printed on failure. Errors
 * go to stderr as `error[CODE]: message` (or `{"error":{code,message}}` on stdout with `--json`).
 */
export async function runAction(
  command: Command,
  body: (context: ActionContext) => Promise<number>,
  output: Output = processOutput,
): Promise<void> {
  const redactor = new Redactor();
  const globals = globalOptions(command);
  try {
    process.exitCode = await body({ globals, redactor });
  } catch (error) {
    reportFailure(error, globals, redactor, output);
  }
}

/**
 * Parses the command line and runs the chosen command. An error thrown outside `runAction` (a flag
 * parser's UsageError, a check made before the action's body) is reported the same way instead of
 * escaping as a stack trace.
 */
export async function runProgram(
  program: Command,
  argv: readonly string[],
  output: Output = processOutput,
): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    reportFailure(error, globalOptions(program), new Redactor(), output);
  }
}

function reportFailure(error: unknown, globals: GlobalOptions, redactor: Redactor, output: Output): void {
  const report = describeError(error, redactor);
  if (globals.json) {
    output.out(toJson({ ok: false, error: { code: report.code, message: report.message } }));
  } else {
    output.err(`error[${report.code}]: ${report.message}\n`);
    if (report.exitCode === EXIT.usage) output.err('(run with --help for usage)\n');
    if (report.exitCode === EXIT.unexpected && error instanceof Error && error.stack !== undefined) {
      if (globals.logLevel === 'debug' || globals.logLevel === 'trace') {
        output.err(`${redactor.redact(error.stack)}\n`);
      } else {
        output.err('(run with --log-level debug for details)\n');
      }
    }
  }
  process.exitCode = report.exitCode;
}

/**
 * Commander exits with 1 on a bad flag or argument; the documented code for "bad command line" is 2.
 * Applied to each of our commands (help and version still exit 0).
 */
export function exitUsageOnParseError<T extends Command>(command: T): T {
  return command.exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : EXIT.usage);
  });
}
