import type { CommonNodeAttributes } from './node-kinds';

/** Internal: the metadata fields the ingester reads. */
export interface ObjectMetadata {
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly labels?: Record<string, string> | null | undefined;
  readonly annotations?: Record<string, string> | null | undefined;
  readonly ownerReferences?:
    | { kind: string; name: string; controller?: boolean | undefined }[]
    | null
    | undefined;
}

/** Label (or annotation) keys naming the team, by priority. */
const teamKeys = priorities([
  'aisre.dev/team',
  'team',
  'app.kubernetes.io/team',
  'owner',
  'aisre.dev/owner',
  'app.kubernetes.io/owner',
]);
const tierKeys = priorities(['aisre.dev/tier', 'tier']);

function priorities(keys: readonly string[]): ReadonlyMap<string, number> {
  return new Map(keys.map((key, index) => [key, index]));
}

/**
 * The value of the first key (by priority) that labels or, for keys the labels do not have,
 * annotations give a non-blank value. Reads each label once (objects have a few labels; looking
 * every key up in every object was the slow way).
 */
function lookup(metadata: ObjectMetadata, keys: ReadonlyMap<string, number>): string | undefined {
  let best = keys.size;
  let found: string | undefined;
  let inLabels = 0;
  const labels = metadata.labels;
  for (const key in labels) {
    const priority = keys.get(key);
    if (priority === undefined) continue;
    inLabels |= 1 << priority;
    const value = labels[key] as string;
    if (priority < best && value.trim() !== '') {
      best = priority;
      found = value;
    }
  }
  const annotations = metadata.annotations;
  for (const key in annotations) {
    const priority = keys.get(key);
    if (priority === undefined || priority >= best || (inLabels & (1 << priority)) !== 0) continue;
    const value = annotations[key] as string;
    if (value.trim() !== '') {
      best = priority;
      found = value;
    }
  }
  return found?.trim();
}

/**
 * Internal: the owning team named by labels or annotations (`aisre.dev/team`, `team`, `owner`, ...),
 * normalised for use in a reference (lower case, spaces as dashes).
 *
 * @param metadata - Object metadata.
 * @returns The team name, if any.
 */
export function teamOf(metadata: ObjectMetadata): string | undefined {
  const team = lookup(metadata, teamKeys);
  return team === undefined ? undefined : team.toLowerCase().replace(/[\s/]+/g, '-');
}

/**
 * Internal: the business tier (`aisre.dev/tier: "1"`, `tier: tier-2`); other `tier` labels
 * (`tier: frontend`) are not tiers.
 *
 * @param metadata - Object metadata.
 * @returns The tier, if any.
 */
export function tierOf(metadata: ObjectMetadata): number | undefined {
  const value = lookup(metadata, tierKeys);
  if (value === undefined) return undefined;
  const match = /^(?:tier-?)?(\d)$/i.exec(value);
  return match === null ? undefined : Number(match[1]);
}

/**
 * Internal: the attributes every object contributes from its metadata. Annotations are read for
 * ownership only and never stored (`kubectl.kubernetes.io/last-applied-configuration` may hold
 * a whole object, secrets included).
 *
 * @param metadata - Object metadata.
 * @returns Labels, team, application, tier.
 */
export function metadataAttributes(metadata: ObjectMetadata): CommonNodeAttributes & Record<string, unknown> {
  const attributes: CommonNodeAttributes & Record<string, unknown> = {};
  const labels = metadata.labels;
  if (labels) {
    // A copy: the document may be the caller's own object (see schema-fast-check.ts).
    for (const _ in labels) {
      attributes.labels = { ...labels };
      break;
    }
  }
  const team = teamOf(metadata);
  if (team !== undefined) attributes.team = team;
  const application =
    metadata.labels?.['app.kubernetes.io/part-of'] ?? metadata.annotations?.['app.kubernetes.io/part-of'];
  if (application !== undefined) attributes.application = application;
  const tier = tierOf(metadata);
  if (tier !== undefined) attributes.tier = tier;
  return attributes;
}

const imageKinds: readonly [RegExp, 'redis' | 'postgres' | 'queue'][] = [
  [/^(redis|redis-stack|redis-stack-server|valkey|keydb|dragonfly)$/, 'redis'],
  [
    /^(postgres|postgresql|postgis|timescaledb|timescaledb-ha|pgvector|spilo-\d+|crunchy-postgres|cloudnative-pg|pgbouncer)$/,
    'postgres',
  ],
  [/^(rabbitmq|kafka|cp-kafka|nats|redpanda|activemq|activemq-artemis|pulsar)$/, 'queue'],
];

/**
 * Internal: the datastore or broker kind an image is, from its repository name
 * (`redis:7.2`, `bitnami/postgresql:16`, `docker.io/library/rabbitmq:3-management`).
 *
 * @param image - Image reference.
 * @returns The kind and the engine name, if the image is a known datastore.
 */
export function datastoreOfImage(image: string): DatastoreImage | undefined {
  // Every replica names the same images: each is read once.
  const known = imageDatastores.get(image);
  if (known !== undefined) return known ?? undefined;
  const withoutDigest = image.split('@')[0] as string;
  const lastSegment = withoutDigest.split('/').pop() as string;
  const repository = (lastSegment.split(':')[0] as string).toLowerCase();
  let found: DatastoreImage | null = null;
  for (const [pattern, kind] of imageKinds) {
    if (pattern.test(repository)) {
      found = Object.freeze({ kind, engine: repository });
      break;
    }
  }
  if (imageDatastores.size >= MAX_REMEMBERED_IMAGES) imageDatastores.clear();
  imageDatastores.set(image, found);
  return found ?? undefined;
}

/** Internal: the datastore an image is. */
export interface DatastoreImage {
  readonly kind: 'redis' | 'postgres' | 'queue';
  readonly engine: string;
}

/** Images read so far (`null`: not a datastore), forgotten past {@link MAX_REMEMBERED_IMAGES}. */
const imageDatastores = new Map<string, DatastoreImage | null>();
const MAX_REMEMBERED_IMAGES = 4096;
