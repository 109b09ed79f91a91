import { z } from 'zod';
import { InvalidInputError } from '../errors/aisre-error';

/**
 * One canonical string per thing in the system: `kind:namespace/name`
 * (`service:shop/recommendation`, `redis:shop/session-cache`).
 * Connectors map native ids (Prometheus labels, Kubernetes names, PagerDuty services) to refs,
 * and the knowledge graph is keyed by them.
 */
export type EntityRef = `${string}:${string}/${string}`;

/** The three parts of an {@link EntityRef}. */
export interface EntityRefParts {
  /** Lower-case kind: `service`, `redis`, `postgres`, `queue`, `deployment`, `pod`, … */
  kind: string;
  /** The namespace (a Kubernetes namespace, an environment, a team's area). */
  namespace: string;
  /** The name within the namespace. */
  name: string;
}

const kindPattern = /^[a-z][a-z0-9-]{0,62}$/;
const namespacePattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,252}$/;
const namePattern = /^[A-Za-z0-9_][A-Za-z0-9._:@+-]{0,252}$/;

/** The pattern a whole {@link EntityRef} matches. */
export const entityRefPattern =
  /^[a-z][a-z0-9-]{0,62}:[A-Za-z0-9_][A-Za-z0-9._-]{0,252}\/[A-Za-z0-9_][A-Za-z0-9._:@+-]{0,252}$/;

function describeProblem(parts: EntityRefParts): string | undefined {
  if (!kindPattern.test(parts.kind))
    return `kind "${parts.kind}" must be lower-case letters, digits and dashes`;
  if (!namespacePattern.test(parts.namespace))
    return `namespace "${parts.namespace}" must be letters, digits, ".", "_" and "-"`;
  if (!namePattern.test(parts.name))
    return `name "${parts.name}" must be letters, digits and ._:@+- (no "/")`;
  return undefined;
}

/** True when `value` is a well-formed {@link EntityRef}. */
export function isEntityRef(value: unknown): value is EntityRef {
  return typeof value === 'string' && entityRefPattern.test(value);
}

/**
 * Splits an {@link EntityRef} into its parts.
 *
 * @throws {@link InvalidInputError} naming what is wrong when `value` is not a well-formed ref.
 */
export function parseEntityRef(value: string): EntityRefParts {
  const colon = value.indexOf(':');
  const slash = colon < 0 ? -1 : value.indexOf('/', colon + 1);
  if (colon < 0 || slash < 0) {
    throw new InvalidInputError(`core: entity ref "${value}" must look like kind:namespace/name`, {
      issues: [{ path: [], message: 'expected kind:namespace/name' }],
    });
  }
  const parts = {
    kind: value.slice(0, colon),
    namespace: value.slice(colon + 1, slash),
    name: value.slice(slash + 1),
  };
  const problem = describeProblem(parts);
  if (problem) {
    throw new InvalidInputError(`core: entity ref "${value}": ${problem}`, {
      issues: [{ path: [], message: problem }],
    });
  }
  return parts;
}

/**
 * Builds an {@link EntityRef} from its parts.
 *
 * @throws {@link InvalidInputError} when a part is not allowed.
 */
export function formatEntityRef(parts: EntityRefParts): EntityRef {
  const problem = describeProblem(parts);
  if (problem)
    throw new InvalidInputError(`core: cannot format entity ref: ${problem}`, {
      issues: [{ path: [], message: problem }],
    });
  return `${parts.kind}:${parts.namespace}/${parts.name}`;
}

/** Zod schema of an {@link EntityRef}. */
export const entityRefSchema: z.ZodType<EntityRef, string> = z
  .string()
  .regex(entityRefPattern, 'expected an entity ref kind:namespace/name') as unknown as z.ZodType<
  EntityRef,
  string
>;
