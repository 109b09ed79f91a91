import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error';

/** The options of one command, in `node:util` `parseArgs` form. */
export type FlagSpecs = NonNullable<ParseArgsConfig['options']>;

/** The value of one flag: a boolean or a string, a list of them when the flag may repeat. */
type FlagValue<Spec extends FlagSpecs[string]> = Spec extends { multiple: true }
  ? (Spec['type'] extends 'boolean' ? boolean : string)[]
  : Spec['type'] extends 'boolean'
    ? boolean
    : string;

/** What {@link parseCommandFlags} returns: each flag's value, and the positionals. */
export interface ParsedFlags<Options extends FlagSpecs> {
  /** The flags given, by name. */
  values: { [Name in keyof Options]?: FlagValue<Options[Name]> };
  /** The arguments that are not flags. */
  positionals: string[];
}

/** Flags every command accepts. */
export const commonFlags = {
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagSpecs;

function describeParseError(error: unknown, command: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return `aisre ${command}: unknown option ${quoted ?? message}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `aisre ${command}: unexpected argument ${quoted ?? message}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /'(-{1,2}[\w-]+)/.exec(message)?.[1] ?? 'an option';
    if (/argument missing/.test(message)) return `aisre ${command}: ${flag} needs a value`;
    if (/does not take an argument/.test(message)) return `aisre ${command}: ${flag} takes no value`;
  }
  return `aisre ${command}: ${message}`;
}

/**
 * Parses a command's arguments strictly: unknown flags and stray arguments are {@link UsageError}s.
 *
 * @param command - the command's name, for messages
 * @param args - the arguments after the command's name
 * @param options - the flags it accepts
 * @param positionals - how many positional arguments it accepts
 */
export function parseCommandFlags<const Options extends FlagSpecs>(
  command: string,
  args: readonly string[],
  options: Options,
  positionals = 0,
): ParsedFlags<Options> {
  let parsed: ParsedFlags<Options>;
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
    }) as ParsedFlags<Options>;
  } catch (error) {
    throw new UsageError(describeParseError(error, command), command);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(
      `aisre ${command}: unexpected argument ${parsed.positionals[positionals] ?? ''}`,
      command,
    );
  }
  return parsed;
}

/**
 * Reads a numeric flag, or undefined when it was not given.
 *
 * @param command - the command's name, for messages
 * @param flag - the flag's name without dashes
 * @param value - the raw value
 * @param rules - `integer`: whole numbers only; `min`: the smallest accepted value
 * @throws {@link UsageError} when the value is not a number in range
 */
export function numberFlag(
  command: string,
  flag: string,
  value: string | boolean | undefined,
  rules: { integer: boolean; min: number },
): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  const kind = rules.integer ? 'a whole number' : 'a number';
  if (!Number.isFinite(number) || (rules.integer && !Number.isInteger(number)) || number < rules.min) {
    throw new UsageError(
      `aisre ${command}: --${flag} must be ${kind} of at least ${rules.min}, got "${String(value)}"`,
      command,
    );
  }
  return number;
}
