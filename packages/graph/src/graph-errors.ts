const graphErrorMarker = Symbol.for('aisre.graph.error');

/**
 * What went wrong with a piece of input:
 * - `invalid-yaml` / `invalid-json`: the text could not be parsed;
 * - `invalid-document`: a Kubernetes document does not have the shape its kind requires;
 * - `invalid-span`: a span record is missing fields or has wrong types;
 * - `invalid-snapshot`: a snapshot failed validation on load;
 * - `invalid-model-reply`: the language model's answer did not match the extraction schema;
 * - `model-failed`: the language model call itself failed;
 * - `invalid-ref`: a string is not a `kind:namespace/name` entity reference;
 * - `invalid-input`: any other argument that breaks the API's contract.
 */
export type GraphInputErrorCode =
  | 'invalid-yaml'
  | 'invalid-json'
  | 'invalid-document'
  | 'invalid-span'
  | 'invalid-snapshot'
  | 'invalid-model-reply'
  | 'model-failed'
  | 'invalid-ref'
  | 'invalid-input';

/** Where an input error was found. */
export interface GraphInputErrorLocation {
  /** Index of the document (YAML document, array element, span, relation) in the input. */
  readonly documentIndex?: number;
  /** Path of the offending field inside that document, e.g. `spec.template.spec.containers[0].env`. */
  readonly path?: string;
}

/**
 * The typed error of `@aisre/graph`. Ingesters never throw it for bad documents: they put it in
 * their report, go on with the other documents, and leave the graph as it was for the bad one.
 * API misuse (a malformed entity reference, a confidence above 1) throws it.
 */
export class GraphInputError extends Error {
  /** What kind of problem this is. */
  readonly code: GraphInputErrorCode;
  /** Index of the offending document in the input, when the input has several. */
  readonly documentIndex: number | undefined;
  /** Path of the offending field inside the document, when known. */
  readonly path: string | undefined;

  /**
   * @param code - What kind of problem this is.
   * @param message - A message that starts with the module and says what to do.
   * @param location - The document index and field path, when known.
   * @param options - The underlying cause, if any.
   */
  constructor(
    code: GraphInputErrorCode,
    message: string,
    location: GraphInputErrorLocation = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GraphInputError';
    this.code = code;
    this.documentIndex = location.documentIndex;
    this.path = location.path;
    Object.defineProperty(this, graphErrorMarker, { value: true });
  }

  /**
   * Tells whether a value is a {@link GraphInputError}, also across copies of the package.
   *
   * @param value - Anything, typically a caught error.
   * @returns `true` for graph input errors.
   */
  static isInstance(value: unknown): value is GraphInputError {
    return typeof value === 'object' && value !== null && graphErrorMarker in value;
  }
}

/**
 * Formats a zod-style issue path (`['spec', 'containers', 0, 'env']`) as
 * `spec.containers[0].env`.
 *
 * @param path - Path segments.
 * @returns The dotted path; empty for the document root.
 */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}
