import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import {
  builtInScenarioNames,
  loadBuiltInScenario,
  loadScenarioFile,
  type Scenario,
} from '@aisre/connector-mock';
import { UsageError } from './usage-error';

/** File extensions `aisre eval` reads as scenarios. */
export const scenarioExtensions: readonly string[] = ['.json', '.yaml', '.yml'];

/**
 * Loads the scenario an `--scenario` argument names: a file when the path exists, else a built-in scenario.
 *
 * @param argument - a path (relative to `cwd`) or a built-in scenario's name
 * @param cwd - the folder relative paths start from
 * @param command - the command asking, for messages (`investigate` by default)
 * @throws {@link UsageError} when it is neither; the scenario's own `InvalidInputError` when the file is bad
 */
export async function loadScenarioArgument(
  argument: string,
  cwd: string,
  command = 'investigate',
): Promise<Scenario> {
  const path = resolve(cwd, argument);
  if (existsSync(path) && statSync(path).isFile()) return await loadScenarioFile(path);
  const names = builtInScenarioNames();
  if (names.includes(argument)) return await loadBuiltInScenario(argument);
  throw new UsageError(
    `aisre ${command}: no scenario file or built-in scenario "${argument}"; built-in scenarios: ${names.join(', ')} (see aisre scenarios)`,
    command,
  );
}

/**
 * The scenario files of a folder (`*.json`, `*.yaml`, `*.yml`, not recursive), sorted by name.
 *
 * @param folder - the folder, relative to `cwd`
 * @param cwd - the folder relative paths start from
 * @throws {@link UsageError} when the folder does not exist
 */
export function scenarioFilesIn(folder: string, cwd: string): string[] {
  const path = resolve(cwd, folder);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new UsageError(`aisre eval: "${folder}" is not a folder; pass a folder of scenario files`, 'eval');
  }
  return readdirSync(path)
    .filter((name) => scenarioExtensions.includes(extname(name).toLowerCase()))
    .sort()
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile());
}
