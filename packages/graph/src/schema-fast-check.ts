import type { z } from 'zod';

/**
 * Internal: zod validation without the copy, for the ingesters' hot path.
 *
 * `schema.safeParse` builds a new object for every object it visits and a result record for every
 * field, which made zod the largest allocator of a Kubernetes ingest. Most documents need none of
 * that: every field already has its type and nothing is transformed. For those, a check compiled
 * from the same zod schema (its definition, `schema._zod.def`) proves that zod would accept the
 * value and return it unchanged, apart from stripping keys the schema does not name, and the value
 * itself is used. Anything the check cannot prove (a transform to apply, a construct it does not
 * know, an invalid field) goes to zod, which parses it and reports the first issue with its path.
 * The zod schema stays the only definition of what is valid.
 */

/** Internal: whether zod would accept a value and return it unchanged (`false`: ask zod). */
type FastCheck = (value: unknown) => boolean;

/** The parts of a zod 4 schema's definition the compiler reads. */
interface SchemaDefinition {
  readonly type: string;
  readonly checks?: readonly CheckInternals[];
  readonly [field: string]: unknown;
}

interface CheckInternals {
  readonly _zod: { readonly def: { readonly check: string; readonly [field: string]: unknown } };
}

interface SchemaInternals {
  readonly _zod: { readonly def: SchemaDefinition; readonly traits: ReadonlySet<string> };
}

/** What kind of JavaScript value a schema takes, so that a union knows which option applies. */
type ValueClass = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

const never: FastCheck = () => false;
const compiled = new WeakMap<object, FastCheck>();

function internals(schema: unknown): SchemaInternals | undefined {
  const inner = (schema as Partial<SchemaInternals> | null)?._zod;
  return inner?.def !== undefined && typeof inner.def.type === 'string'
    ? (schema as SchemaInternals)
    : undefined;
}

function classOf(value: unknown): ValueClass | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return typeof value as ValueClass;
    case 'object':
      return Array.isArray(value) ? 'array' : 'object';
    default:
      return undefined;
  }
}

/** The single class of values a schema can accept, or `undefined` when it takes several or cannot tell. */
function schemaClass(schema: unknown): ValueClass | undefined {
  const definition = internals(schema)?._zod.def;
  switch (definition?.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return definition.type as ValueClass;
    case 'array':
    case 'tuple':
      return 'array';
    case 'object':
    case 'record':
      return 'object';
    case 'pipe':
      return schemaClass(definition.in);
    default:
      return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Length and bound checks; `undefined` when a check is one the compiler does not know. */
function compileChecks(definition: SchemaDefinition): ((value: never) => boolean)[] | undefined {
  const checks: ((value: never) => boolean)[] = [];
  for (const check of definition.checks ?? []) {
    const spec = check._zod.def;
    switch (spec.check) {
      case 'min_length': {
        const minimum = spec.minimum as number;
        checks.push((value: { length: number }) => value.length >= minimum);
        break;
      }
      case 'max_length': {
        const maximum = spec.maximum as number;
        checks.push((value: { length: number }) => value.length <= maximum);
        break;
      }
      case 'length_equals': {
        const length = spec.length as number;
        checks.push((value: { length: number }) => value.length === length);
        break;
      }
      case 'greater_than': {
        const bound = spec.value as number;
        checks.push(
          spec.inclusive === true ? (value: number) => value >= bound : (value: number) => value > bound,
        );
        break;
      }
      case 'less_than': {
        const bound = spec.value as number;
        checks.push(
          spec.inclusive === true ? (value: number) => value <= bound : (value: number) => value < bound,
        );
        break;
      }
      case 'number_format':
        if (spec.format !== 'safeint') return undefined;
        checks.push((value: number) => Number.isSafeInteger(value));
        break;
      case 'string_format': {
        const pattern = spec.pattern;
        if (spec.format !== 'regex' || !(pattern instanceof RegExp)) return undefined;
        checks.push((value: string) => {
          pattern.lastIndex = 0;
          return pattern.test(value);
        });
        break;
      }
      default:
        return undefined;
    }
  }
  return checks;
}

function withChecks(definition: SchemaDefinition, accepts: (value: unknown) => boolean): FastCheck {
  const checks = compileChecks(definition);
  if (checks === undefined) return never;
  if (checks.length === 0) return accepts;
  return (value) => {
    if (!accepts(value)) return false;
    for (const check of checks) if (!check(value as never)) return false;
    return true;
  };
}

/** Numbers: one predicate for the type and every bound (columns of snapshots hold millions). */
function compileNumber(definition: SchemaDefinition): FastCheck {
  let minimum = Number.NEGATIVE_INFINITY;
  let minimumInclusive = true;
  let maximum = Number.POSITIVE_INFINITY;
  let maximumInclusive = true;
  let integer = false;
  for (const check of definition.checks ?? []) {
    const spec = check._zod.def;
    const bound = spec.value as number;
    const inclusive = spec.inclusive === true;
    if (spec.check === 'greater_than') {
      // Every bound applies: keep the strictest.
      if (bound > minimum) [minimum, minimumInclusive] = [bound, inclusive];
      else if (bound === minimum) minimumInclusive &&= inclusive;
    } else if (spec.check === 'less_than') {
      if (bound < maximum) [maximum, maximumInclusive] = [bound, inclusive];
      else if (bound === maximum) maximumInclusive &&= inclusive;
    } else if (spec.check === 'number_format' && spec.format === 'safeint') integer = true;
    else return never;
  }
  return (value) =>
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minimumInclusive ? value >= minimum : value > minimum) &&
    (maximumInclusive ? value <= maximum : value < maximum) &&
    (!integer || Number.isSafeInteger(value));
}

function compileObject(definition: SchemaDefinition): FastCheck {
  if (definition.catchall !== undefined) return never;
  const shape = definition.shape as Record<string, unknown>;
  const keys = Object.keys(shape);
  const checks = keys.map((key) => fastCheckOf(shape[key]));
  // A missing key is fine only where the schema says optional (zod reports a missing required key
  // even when its schema would accept `undefined`).
  const optional = keys.map((key) => internals(shape[key])?._zod.def.type === 'optional');
  return withChecks(definition, (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      const entry = record[key];
      if (entry === undefined && !optional[index] && !(key in record)) return false;
      if (!(checks[index] as FastCheck)(entry)) return false;
    }
    return true;
  });
}

function compileRecord(definition: SchemaDefinition): FastCheck {
  const keyCheck = fastCheckOf(definition.keyType);
  const valueCheck = fastCheckOf(definition.valueType);
  return withChecks(definition, (value) => {
    if (!isPlainObject(value)) return false;
    // zod reads own enumerable keys, symbols included, and leaves `__proto__` out of its copy.
    if (Object.getOwnPropertySymbols(value).length > 0) return false;
    for (const key in value) {
      if (key === '__proto__' || !Object.hasOwn(value, key)) return false;
      if (!keyCheck(key) || !valueCheck(value[key])) return false;
    }
    return true;
  });
}

function compileUnion(definition: SchemaDefinition): FastCheck {
  // Only unions whose options take different kinds of values: then exactly one option can accept
  // a value, the one zod would pick too.
  const byClass = new Map<ValueClass, FastCheck>();
  for (const option of definition.options as readonly unknown[]) {
    const valueClass = schemaClass(option);
    if (valueClass === undefined || byClass.has(valueClass)) return never;
    byClass.set(valueClass, fastCheckOf(option));
  }
  return (value) => {
    const valueClass = classOf(value);
    const option = valueClass === undefined ? undefined : byClass.get(valueClass);
    return option?.(value) === true;
  };
}

function compile(schema: unknown): FastCheck {
  const inner = internals(schema);
  if (inner === undefined) return never;
  const definition = inner._zod.def;
  switch (definition.type) {
    case 'string':
      return withChecks(definition, (value) => typeof value === 'string');
    case 'number':
      return compileNumber(definition);
    case 'boolean':
      return withChecks(definition, (value) => typeof value === 'boolean');
    case 'null':
      return (value) => value === null;
    case 'unknown':
    case 'any':
      return () => true;
    case 'literal': {
      const values = definition.values as readonly unknown[];
      return (value) => values.includes(value);
    }
    case 'optional': {
      if (!inner._zod.traits.has('$ZodOptional') || inner._zod.traits.has('$ZodExactOptional')) return never;
      const check = fastCheckOf(definition.innerType);
      return (value) => value === undefined || check(value);
    }
    case 'nullable': {
      const check = fastCheckOf(definition.innerType);
      return (value) => value === null || check(value);
    }
    case 'array': {
      const element = fastCheckOf(definition.element);
      return withChecks(definition, (value) => {
        if (!Array.isArray(value)) return false;
        for (let index = 0; index < value.length; index++) if (!element(value[index])) return false;
        return true;
      });
    }
    case 'tuple': {
      if (definition.rest !== undefined && definition.rest !== null) return never;
      const items = (definition.items as readonly unknown[]).map(fastCheckOf);
      return withChecks(definition, (value) => {
        if (!Array.isArray(value) || value.length !== items.length) return false;
        for (let index = 0; index < items.length; index++) {
          if (!(items[index] as FastCheck)(value[index])) return false;
        }
        return true;
      });
    }
    case 'object':
      return compileObject(definition);
    case 'record':
      return compileRecord(definition);
    case 'union':
      return definition.inclusive === false ? never : compileUnion(definition);
    default:
      // Transforms, pipes, defaults, refinements, lazy and custom schemas: zod decides.
      return never;
  }
}

/**
 * Internal: the compiled check of a schema (compiled once, kept as long as the schema lives).
 *
 * @param schema - A zod schema.
 * @returns `value => true` when zod would accept `value` and return it unchanged.
 */
export function fastCheckOf(schema: unknown): FastCheck {
  if (typeof schema !== 'object' || schema === null) return never;
  let check = compiled.get(schema);
  if (check === undefined) {
    // Placeholder while compiling, in case a schema refers to itself (it then goes to zod).
    compiled.set(schema, never);
    check = compile(schema);
    compiled.set(schema, check);
  }
  return check;
}

/**
 * Internal: `schema.safeParse(value)`, without the copy when the compiled check proves zod would
 * accept the value unchanged: then the result's data is the value itself (with any keys the schema
 * does not name). Callers must not keep objects from it that they hand out (copy them first).
 *
 * @param schema - The zod schema.
 * @param value - The value to validate.
 * @returns zod's result.
 */
export function safeParseWithoutCopy<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { success: true; data: z.infer<S> } | { success: false; error: z.ZodError } {
  if (fastCheckOf(schema)(value)) return { success: true, data: value as z.infer<S> };
  const result = schema.safeParse(value);
  return result.success ? { success: true, data: result.data } : { success: false, error: result.error };
}
