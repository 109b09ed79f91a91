import type { ParameterDescriptor, ParameterValue } from '../types';

/** A problem with one parameter: its key and what is wrong. */
export interface ParameterProblem {
  /** The parameter key. */
  key: string;
  /** What is wrong. */
  message: string;
}

/** Checks `params` against `descriptors`: unknown keys, wrong types, out-of-range numbers, unknown choices. */
export function checkParameters(
  descriptors: readonly ParameterDescriptor[],
  params: Record<string, ParameterValue> | undefined,
): ParameterProblem[] {
  const problems: ParameterProblem[] = [];
  for (const [key, value] of Object.entries(params ?? {})) {
    const descriptor = descriptors.find((candidate) => candidate.name === key);
    if (!descriptor) {
      const known = descriptors.map((candidate) => candidate.name).join(', ') || 'none';
      problems.push({ key, message: `unknown parameter (known: ${known})` });
      continue;
    }
    if (descriptor.kind === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.push({ key, message: 'expected a number' });
      } else if (
        (descriptor.minimum !== undefined && value < descriptor.minimum) ||
        (descriptor.maximum !== undefined && value > descriptor.maximum)
      ) {
        problems.push({
          key,
          message: `expected a number from ${descriptor.minimum} to ${descriptor.maximum}`,
        });
      }
    } else if (typeof value !== 'string' || value.length === 0) {
      problems.push({ key, message: 'expected a non-empty string' });
    } else if (descriptor.kind === 'choice' && !(descriptor.choices ?? []).includes(value)) {
      problems.push({ key, message: `expected one of ${(descriptor.choices ?? []).join(', ')}` });
    }
  }
  return problems;
}

/** The parameters with every omitted one set to its default. */
export function resolveParameters(
  descriptors: readonly ParameterDescriptor[],
  params: Record<string, ParameterValue> | undefined,
): Record<string, ParameterValue> {
  const resolved: Record<string, ParameterValue> = {};
  for (const descriptor of descriptors)
    resolved[descriptor.name] = params?.[descriptor.name] ?? descriptor.default;
  return resolved;
}

/** A numeric parameter of resolved parameters (0 when absent or not a number). */
export function numberParameter(params: Record<string, ParameterValue>, name: string): number {
  const value = params[name];
  return typeof value === 'number' ? value : 0;
}

/** A text parameter of resolved parameters (empty when absent). */
export function textParameter(params: Record<string, ParameterValue>, name: string): string {
  const value = params[name];
  return typeof value === 'string' ? value : String(value ?? '');
}
