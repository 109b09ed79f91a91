import type { SlowlogArgumentMode } from './types';

/** Commands whose arguments carry credentials: only their name (and subcommand) is ever shown. */
const credentialCommands = new Set(['auth', 'hello', 'acl', 'migrate', 'config|set']);

/** Commands whose first argument is a subcommand, shown with the name (`CONFIG SET`, `CLIENT KILL`). */
const containerCommands = new Set([
  'acl',
  'client',
  'cluster',
  'command',
  'config',
  'debug',
  'function',
  'latency',
  'memory',
  'module',
  'object',
  'pubsub',
  'script',
  'slowlog',
  'xgroup',
  'xinfo',
]);

const maxArgumentLength = 32;

/** A command as it may be shown: its name, the arguments as shown, and how many there were. */
export interface RedactedCommand {
  /** Lower-case name with its subcommand, `set`, `config|set`. */
  command: string;
  /** The text to show: `SET ‹25 bytes› ‹18 bytes›`, `CONFIG SET ‹2 arguments redacted›`. */
  text: string;
  /** How many arguments followed the command (and subcommand). */
  argumentCount: number;
}

function quoted(argument: string): string {
  const cut =
    argument.length > maxArgumentLength
      ? `${argument.slice(0, maxArgumentLength)}…(${argument.length})`
      : argument;
  return JSON.stringify(cut);
}

function size(argument: string): string {
  const bytes = Buffer.byteLength(argument);
  return `‹${bytes} byte${bytes === 1 ? '' : 's'}›`;
}

/**
 * Renders a command from the SLOWLOG without the user data its arguments carry: `redacted` shows only each
 * argument's size, `truncated` each argument cut to 32 characters. Arguments of commands that carry
 * credentials (AUTH, HELLO, ACL, MIGRATE, CONFIG SET) are never shown, whatever the mode.
 *
 * @param parts - the command and its arguments as the SLOWLOG recorded them
 * @param mode - how to show arguments
 */
export function redactCommand(parts: readonly string[], mode: SlowlogArgumentMode): RedactedCommand {
  const [first = '', ...rest] = parts;
  const name = first.toLowerCase();
  const hasSubcommand = containerCommands.has(name) && rest.length > 0;
  const subcommand = hasSubcommand ? (rest[0] ?? '').toLowerCase() : undefined;
  const args = hasSubcommand ? rest.slice(1) : rest;
  const command = subcommand ? `${name}|${subcommand}` : name;
  const head = subcommand ? `${name.toUpperCase()} ${subcommand.toUpperCase()}` : name.toUpperCase();
  // Redis itself notes arguments it dropped ("... (N more arguments)"): keep that note, it holds no data.
  const dropped = /^\.\.\. \((\d+) more arguments\)$/.exec(args[args.length - 1] ?? '');
  const note = dropped !== null;
  const shown = note ? args.slice(0, -1) : args;
  let text: string;
  if (credentialCommands.has(name) || credentialCommands.has(command)) {
    text =
      shown.length === 0
        ? head
        : `${head} ‹${shown.length} argument${shown.length === 1 ? '' : 's'} redacted›`;
  } else if (shown.length === 0) {
    text = head;
  } else {
    text = `${head} ${shown.map(mode === 'truncated' ? quoted : size).join(' ')}`;
  }
  if (note) text = `${text} ${args[args.length - 1]}`;
  return { command, text, argumentCount: shown.length + (dropped ? Number(dropped[1]) : 0) };
}
