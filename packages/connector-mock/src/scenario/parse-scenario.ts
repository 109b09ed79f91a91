import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { formatInputIssues, type InputIssue, InvalidInputError } from '@aisre/core';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { ParseScenarioOptions, Scenario, ScenarioFormat } from '../types';
import { scenarioSchema } from './scenario-schema';

function issuesOf(error: z.ZodError): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: [...path, key], message: 'unknown field' });
    } else {
      issues.push({ path, message: issue.message });
    }
  }
  return issues;
}

function describeSource(options: ParseScenarioOptions): string {
  return options.source ? `scenario ${options.source}` : 'scenario';
}

function parseText(text: string, format: ScenarioFormat, options: ParseScenarioOptions): unknown {
  try {
    return format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InvalidInputError(
      `connector-mock: ${describeSource(options)} is not valid ${format.toUpperCase()}: ${reason}`,
      { issues: [{ path: [], message: `not valid ${format.toUpperCase()}` }], cause: error },
    );
  }
}

/**
 * Parses and validates a scenario: JSON or YAML text, or an already parsed object.
 *
 * @param input - the text of a scenario file, or its parsed value
 * @param options - the text format (default: guessed) and a source name for messages
 * @throws InvalidInputError naming every offending field (`topology.services[2].kind: …`)
 */
export function parseScenario(input: unknown, options: ParseScenarioOptions = {}): Scenario {
  let value = input;
  if (typeof input === 'string') {
    const format = options.format ?? (input.trimStart().startsWith('{') ? 'json' : 'yaml');
    value = parseText(input, format, options);
  }
  const result = scenarioSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  throw new InvalidInputError(
    `connector-mock: ${describeSource(options)} is invalid: ${formatInputIssues(issues)}. Fix these fields (see docs/scenarios.md).`,
    { issues, cause: result.error },
  );
}

/**
 * Reads and validates a scenario file (synchronously); `.json` is JSON, anything else YAML.
 *
 * @param path - the file
 * @throws InvalidInputError when the file cannot be read, is malformed or is invalid, naming the fields
 */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`connector-mock: cannot read scenario file ${path}: ${String(error)}`, {
      issues: [{ path: [], message: 'cannot read the file' }],
      cause: error,
    });
  }
  const format: ScenarioFormat = extname(path).toLowerCase() === '.json' ? 'json' : 'yaml';
  return parseScenario(text, { format, source: path });
}

/** A copy of the scenario without its `expect` block (faults and noise stay: the simulation needs them). */
export function withoutExpectations(scenario: Scenario): Scenario {
  const { expect: _expectations, ...rest } = scenario;
  return structuredClone(rest);
}
