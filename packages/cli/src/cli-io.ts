import type { Readable } from 'node:stream';

/**
 * Where the CLI writes and what it knows of its terminal. `main` builds one from the process; tests pass
 * their own to capture the output.
 */
export interface CliIo {
  /** Writes to standard output (the report, tables, JSON). */
  stdout(text: string): void;
  /** Writes to standard error (progress, the live view, messages). */
  stderr(text: string): void;
  /** True when the output is an interactive terminal: the live view is drawn instead of progress lines. */
  isTTY: boolean;
  /** The terminal's width in columns. */
  columns: number;
  /** The folder relative paths are resolved against. */
  cwd: string;
  /** A monotonic clock in milliseconds, to measure wall time (the host's `performance.now`). */
  now(): number;
  /** Where answers to prompts are read from (standard input), when there is one. */
  input?: Readable;
}

/** Exit codes of the `aisre` command. */
export const exitCodes = Object.freeze({
  /** The command ran to its end. */
  ok: 0,
  /** The command failed (bad scenario file, unexpected error). */
  failure: 1,
  /** The command line was wrong (unknown command or flag, bad value). */
  usage: 2,
});
