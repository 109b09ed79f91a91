import { parseAllDocuments } from 'yaml';
import { GraphInputError } from './graph-errors';

/** Internal: one Kubernetes object to ingest, with where it came from. */
export interface SourceObject {
  /** Index of the document in the input. */
  readonly documentIndex: number;
  /** Path of the object inside the document (`items[2]` for list items), `''` for the document itself. */
  readonly path: string;
  /** The object. */
  readonly value: unknown;
}

/** Internal: the objects of an input, and the documents that could not be parsed. */
export interface SplitResult {
  readonly objects: SourceObject[];
  readonly errors: GraphInputError[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expand(documentIndex: number, value: unknown, objects: SourceObject[]): void {
  if (value === null || value === undefined) return;
  if (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items)
  ) {
    value.items.forEach((item, index) => {
      objects.push({ documentIndex, path: `items[${index}]`, value: item });
    });
    return;
  }
  objects.push({ documentIndex, path: '', value });
}

/**
 * Internal: splits YAML (multi-document) or JSON text, or already parsed values, into objects.
 * `List` documents (`kubectl get -o yaml`) are expanded into their items. A document that does
 * not parse becomes an error; the others are still returned.
 *
 * @param input - Text, one object, or an array of objects.
 * @returns Objects and errors.
 */
export function splitKubernetesInput(input: unknown): SplitResult {
  const objects: SourceObject[] = [];
  const errors: GraphInputError[] = [];
  if (typeof input !== 'string') {
    if (Array.isArray(input)) {
      for (let index = 0; index < input.length; index++) expand(index, input[index], objects);
    } else {
      expand(0, input, objects);
    }
    return { objects, errors };
  }
  const trimmed = input.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(input);
      if (Array.isArray(parsed)) {
        for (let index = 0; index < parsed.length; index++) expand(index, parsed[index], objects);
      } else {
        expand(0, parsed, objects);
      }
      return { objects, errors };
    } catch {
      // Not JSON after all: YAML flow syntax is a superset, let the YAML parser report.
    }
  }
  const documents = parseAllDocuments(input, { prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(documents) ? documents : [];
  list.forEach((document, index) => {
    if (document.errors.length > 0) {
      const first = document.errors[0];
      const line = first?.linePos?.[0]?.line;
      errors.push(
        new GraphInputError(
          'invalid-yaml',
          `graph-kubernetes: document ${index}${line === undefined ? '' : ` (line ${line})`}: ${first?.message ?? 'invalid YAML'}. Fix the YAML; the other documents were ingested.`,
          { documentIndex: index, path: '' },
        ),
      );
      return;
    }
    try {
      expand(index, document.toJS({ maxAliasCount: 100 }), objects);
    } catch (error) {
      errors.push(
        new GraphInputError(
          'invalid-yaml',
          `graph-kubernetes: document ${index}: ${(error as Error).message}. Fix the YAML; the other documents were ingested.`,
          { documentIndex: index, path: '' },
          { cause: error },
        ),
      );
    }
  });
  return { objects, errors };
}
