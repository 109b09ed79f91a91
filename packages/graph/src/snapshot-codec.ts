import { GraphInputError } from './graph-errors';
import type { GraphStore } from './graph-store';
import { invalidSnapshot } from './snapshot-errors';
import { readSnapshot } from './snapshot-read';
import { readSnapshotV1 } from './snapshot-read-v1';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot-types';

export { writeSnapshot as encodeSnapshot } from './snapshot-write';

/**
 * Internal: reads a snapshot of any version this package knows (object or JSON text) into an
 * empty store: validates it and builds its nodes and edges.
 *
 * @param input - The snapshot, or its JSON text.
 * @param store - An empty store.
 * @returns When the snapshot was taken.
 * @throws {@link GraphInputError} `invalid-snapshot` with the field path.
 */
export function decodeSnapshotInto(input: unknown, store: GraphStore): number {
  let value = input;
  const fromText = typeof input === 'string';
  if (fromText) {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new GraphInputError(
        'invalid-snapshot',
        `graph-snapshot: not JSON (${(error as Error).message}). Load a snapshot written by @aisre/graph.`,
        { path: '' },
        { cause: error },
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidSnapshot('expected a snapshot object', '');
  }
  const { format, version } = value as { format?: unknown; version?: unknown };
  if (format !== SNAPSHOT_FORMAT) throw invalidSnapshot(`expected format "${SNAPSHOT_FORMAT}"`, 'format');
  if (version === SNAPSHOT_VERSION) return readSnapshot(value, fromText, store);
  if (version === 1) return readSnapshotV1(value, fromText, store);
  if (typeof version === 'number' && version > SNAPSHOT_VERSION) {
    throw invalidSnapshot(
      `version ${version} is newer than this package reads (${SNAPSHOT_VERSION}); upgrade @aisre/graph`,
      'version',
    );
  }
  throw invalidSnapshot(`expected version 1 to ${SNAPSHOT_VERSION}`, 'version');
}
