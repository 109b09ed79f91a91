import { joined } from './flat-text';

/**
 * An entity reference: the one canonical string per thing, `kind:namespace/name`
 * (`service:shop/cart`, `redis:shop/session-cache`, `node:global/worker-3`).
 *
 * The knowledge graph is keyed by these strings. The format is the same as `@aisre/core`'s;
 * the graph keeps its own tiny parser so that it depends on nothing else in the SDK.
 */
export type EntityRef = string;

/** The three parts of an {@link EntityRef}. */
export interface ParsedEntityRef {
  /** The node kind, e.g. `service`, `redis`, `deployment`. */
  readonly kind: string;
  /** The namespace, or {@link GLOBAL_NAMESPACE} for things that belong to no namespace. */
  readonly namespace: string;
  /** The name inside the namespace; may itself contain `/` (e.g. a document path). */
  readonly name: string;
}

/**
 * The namespace used for entities that live outside any Kubernetes namespace: cluster nodes,
 * teams, namespaces themselves, external hosts.
 */
export const GLOBAL_NAMESPACE = 'global';

const entityRefPattern = /^([a-z][a-z0-9-]*):([^\s/:]+)\/(\S+)$/;

/**
 * Parses `kind:namespace/name`.
 *
 * @param ref - The string to parse.
 * @returns The parts, or `undefined` when the string is not an entity reference.
 */
export function parseEntityRef(ref: string): ParsedEntityRef | undefined {
  // Tested, then cut (no match array to build).
  return entityRefPattern.test(ref) ? splitEntityRef(ref) : undefined;
}

/**
 * Internal: the parts of a string already known to be an entity reference: cut at its first `:`
 * and at the `/` after it.
 *
 * @param ref - A well-formed entity reference.
 * @returns Its parts.
 */
export function splitEntityRef(ref: EntityRef): ParsedEntityRef {
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/', colon);
  return { kind: ref.slice(0, colon), namespace: ref.slice(colon + 1, slash), name: ref.slice(slash + 1) };
}

/**
 * Builds `kind:namespace/name`.
 *
 * @param kind - The node kind.
 * @param namespace - The namespace ({@link GLOBAL_NAMESPACE} when there is none).
 * @param name - The name.
 * @returns The entity reference.
 */
export function formatEntityRef(kind: string, namespace: string, name: string): EntityRef {
  return joined(kind, ':', namespace, '/', name);
}

/**
 * Tells whether a value is a well-formed entity reference.
 *
 * @param value - Anything.
 * @returns `true` when `value` is a string of the form `kind:namespace/name`.
 */
export function isEntityRef(value: unknown): value is EntityRef {
  return typeof value === 'string' && entityRefPattern.test(value);
}
