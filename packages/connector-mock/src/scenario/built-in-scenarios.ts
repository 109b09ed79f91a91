import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '@aisre/core';
import type { Scenario } from '../types';
import { loadScenarioFile } from './parse-scenario';

const scenarioExtensions = ['.yaml', '.yml', '.json'];

function findScenariosDirectory(): string {
  // The module is src/scenario/*.ts in the workspace and dist/index.* once built: walk up to the package.
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 4; level++) {
    const candidate = join(directory, 'scenarios');
    if (existsSync(join(directory, 'package.json')) && existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');
}

/** The absolute path of the folder holding the built-in scenario files (shipped in the package). */
export const builtInScenariosDirectory: string = findScenariosDirectory();

function scenarioFiles(): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(builtInScenariosDirectory)) return files;
  for (const file of readdirSync(builtInScenariosDirectory).sort()) {
    const extension = scenarioExtensions.find((candidate) => file.endsWith(candidate));
    if (extension) files.set(file.slice(0, -extension.length), join(builtInScenariosDirectory, file));
  }
  return files;
}

/** The names of the built-in scenarios (file names without extension), sorted. */
export function builtInScenarioNames(): string[] {
  return [...scenarioFiles().keys()];
}

/**
 * Loads and validates a built-in scenario (synchronously).
 *
 * @param name - one of {@link builtInScenarioNames}
 * @throws InvalidInputError when there is no such scenario
 */
export function loadBuiltInScenario(name: string): Scenario {
  const path = scenarioFiles().get(name);
  if (!path) {
    throw new InvalidInputError(
      `connector-mock: no built-in scenario "${name}"; use one of: ${builtInScenarioNames().join(', ')}`,
      { issues: [{ path: ['name'], message: 'unknown built-in scenario' }] },
    );
  }
  return loadScenarioFile(path);
}
