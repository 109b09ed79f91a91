import type { Readable } from 'node:stream';
import { AisreError } from '@aisre/core';
import { type CliIo, exitCodes } from './cli-io';
import { evalCommand } from './eval-command';
import { graphCommand } from './graph-command';
import { commandHelp, mainHelp } from './help-text';
import { investigateCommand } from './investigate-command';
import { scenariosCommand } from './scenarios-command';
import { storyCommand } from './story-command';
import { triageCommand } from './triage-command';
import { UsageError } from './usage-error';

/** What `main` runs: the arguments and, for tests and embedding hosts, where to write. */
export interface MainOptions {
  /** The arguments after the program's name (`process.argv.slice(2)`). */
  argv: readonly string[];
  /** Writes to standard output (default: `process.stdout`). */
  stdout?: (text: string) => void;
  /** Writes to standard error (default: `process.stderr`). */
  stderr?: (text: string) => void;
  /** Whether output goes to a terminal (default: `process.stdout.isTTY`, or false when `stdout` is given). */
  isTTY?: boolean;
  /** The terminal width (default: the terminal's, or 100). */
  columns?: number;
  /** The folder relative paths are resolved against (default: `process.cwd()`). */
  cwd?: string;
  /** A monotonic clock in milliseconds, to measure wall time (default: `performance.now`). */
  now?: () => number;
  /** Where prompts read answers (default: `process.stdin`, or none when `stdout` is given). */
  input?: Readable;
}

/** A command of `aisre`: takes its arguments and where to write, resolves with the exit code. */
export type Command = (args: readonly string[], io: CliIo) => Promise<number>;

/** The commands of `aisre`, by name. */
export const commands: Readonly<Record<string, Command>> = Object.freeze({
  investigate: investigateCommand,
  scenarios: scenariosCommand,
  triage: triageCommand,
  story: storyCommand,
  eval: evalCommand,
  graph: graphCommand,
});

function ioFrom(options: MainOptions): CliIo {
  const injected = options.stdout !== undefined;
  return {
    stdout: options.stdout ?? ((text) => void process.stdout.write(text)),
    stderr: options.stderr ?? ((text) => void process.stderr.write(text)),
    isTTY: options.isTTY ?? (injected ? false : process.stdout.isTTY === true),
    columns: options.columns ?? process.stderr.columns ?? process.stdout.columns ?? 100,
    cwd: options.cwd ?? process.cwd(),
    now: options.now ?? (() => performance.now()),
    ...(options.input ? { input: options.input } : injected ? {} : { input: process.stdin }),
  };
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(mainHelp);
    return exitCodes.usage;
  }
  if (first === '--help' || first === '-h') {
    io.stdout(mainHelp);
    return exitCodes.ok;
  }
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) io.stdout(mainHelp);
    else {
      const help = commandHelp[topic];
      if (help === undefined) throw new UsageError(`aisre help: unknown command "${topic}"`);
      io.stdout(help);
    }
    return exitCodes.ok;
  }
  if (first.startsWith('-'))
    throw new UsageError(`aisre: unknown option ${first}; options go after the command`);
  const command = commands[first];
  if (!command) {
    throw new UsageError(`aisre: unknown command "${first}"; commands: ${Object.keys(commands).join(', ')}`);
  }
  return await command(rest, io);
}

/**
 * Runs the `aisre` command line: `investigate`, `triage`, `story`, `scenarios`, `eval`, `graph`, and `--help`
 * for each.
 *
 * Pass the arguments alone to use the process's streams, or {@link MainOptions} to capture the output
 * (tests, hosts embedding the CLI). It never throws and never calls `process.exit`: it resolves with the
 * exit code, 0 when the command ran to its end, 1 when it failed, 2 on a wrong command line (an unknown
 * command or flag, a bad value), with a message on standard error.
 *
 * @param input - the arguments after the program's name, or the arguments with where to write
 * @returns the exit code
 */
export async function main(input: readonly string[] | MainOptions): Promise<number> {
  const options: MainOptions = Array.isArray(input) ? { argv: input } : (input as MainOptions);
  const io = ioFrom(options);
  try {
    return await dispatch(options.argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command ? `aisre ${error.command} --help` : 'aisre --help';
      io.stderr(`${error.message}\nRun ${help} for usage.\n`);
      return exitCodes.usage;
    }
    if (AisreError.isInstance(error)) {
      io.stderr(`aisre: ${error.message}\n`);
      return exitCodes.failure;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`aisre: unexpected error: ${detail}\n`);
    return exitCodes.failure;
  }
}
