import { type EntityRef, InvalidInputError, isEntityRef, type Labels } from '@aisre/core';
import { moduleName } from './module-name';
import { labelMatcher } from './promql';
import type { EntityMapper, EntityMappingOptions } from './types';

/**
 * The default templates: an explicit kind label (`entity_kind`) with the namespace (`namespace`, else `env`)
 * and the service (`service`, else `job`); without a kind, `service`; without a namespace, `default`; alerts
 * with no target labels at all (`absent()` rules, aggregates) become `alert:default/<alertname>`.
 */
export const defaultEntityTemplates: readonly string[] = Object.freeze([
  '{entity_kind}:{namespace|env}/{service|job}',
  '{entity_kind}:default/{service|job}',
  'service:{namespace|env}/{service|job}',
  'service:default/{service|job}',
  'alert:default/{alertname}',
]);

type Part = 'kind' | 'namespace' | 'name';

/** A literal piece of a template, or a placeholder with its alternatives. */
type Segment = { literal: string } | { labels: string[] };

interface Template {
  source: string;
  parts: Record<Part, Segment[]>;
}

const labelNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const disallowed: Record<Part, RegExp> = {
  kind: /[^a-z0-9-]/g,
  namespace: /[^A-Za-z0-9._-]/g,
  name: /[^A-Za-z0-9._:@+-]/g,
};
const replacement: Record<Part, string> = { kind: '-', namespace: '_', name: '_' };
/** How many label-matcher combinations one template may expand to before it stops narrowing. */
const maxCombinations = 16;

function invalidTemplate(source: string, problem: string): InvalidInputError {
  return new InvalidInputError(
    `${moduleName}: entity template "${source}" ${problem}: write it as kind:namespace/name with {label} or {label1|label2} placeholders, e.g. "service:{namespace}/{job}"`,
    { issues: [{ path: ['entities', 'templates'], message: problem }] },
  );
}

function parseSegments(text: string, source: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /\{([^{}]*)\}/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) segments.push({ literal: text.slice(last, match.index) });
    const labels = (match[1] ?? '').split('|').map((label) => label.trim());
    for (const label of labels)
      if (!labelNamePattern.test(label)) throw invalidTemplate(source, `has a bad label name "${label}"`);
    segments.push({ labels });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ literal: text.slice(last) });
  if (segments.some((segment) => 'literal' in segment && /[{}]/.test(segment.literal)))
    throw invalidTemplate(source, 'has an unbalanced brace');
  return segments;
}

function parseTemplate(source: string): Template {
  // Placeholders hold no ":" or "/", so the first of each outside braces splits the parts.
  const outside = source.replace(/\{[^{}]*\}/g, (placeholder) => '#'.repeat(placeholder.length));
  const colon = outside.indexOf(':');
  const slash = colon < 0 ? -1 : outside.indexOf('/', colon + 1);
  if (colon < 0 || slash < 0) throw invalidTemplate(source, 'has no ":" and "/"');
  const template = {
    source,
    parts: {
      kind: parseSegments(source.slice(0, colon), source),
      namespace: parseSegments(source.slice(colon + 1, slash), source),
      name: parseSegments(source.slice(slash + 1), source),
    },
  };
  for (const part of ['kind', 'namespace', 'name'] as const)
    if (template.parts[part].length === 0) throw invalidTemplate(source, `has an empty ${part}`);
  return template;
}

function sanitize(value: string, part: Part): string {
  const text = part === 'kind' ? value.toLowerCase() : value;
  return text.replace(disallowed[part], replacement[part]);
}

function render(segments: Segment[], part: Part, labels: Labels, used: Set<string>): string | undefined {
  let out = '';
  for (const segment of segments) {
    if ('literal' in segment) {
      out += segment.literal;
      continue;
    }
    const label = segment.labels.find((candidate) => (labels[candidate] ?? '') !== '');
    if (label === undefined) return undefined;
    used.add(label);
    out += sanitize(labels[label] ?? '', part);
  }
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** A matcher for a label whose sanitized value is `value`: exact unless sanitizing could have changed it. */
function valueMatcher(label: string, value: string, part: Part): string {
  const substitute = replacement[part];
  const ambiguous = value.includes(substitute) || (part === 'kind' && /[a-z]/.test(value));
  if (!ambiguous) return labelMatcher(label, '=', value);
  const pattern = [...value]
    .map((character) => (character === substitute ? '.' : escapeRegex(character)))
    .join('');
  return labelMatcher(label, '=~', part === 'kind' ? `(?i)${pattern}` : pattern);
}

/**
 * The matcher sets under which one part of a template yields `value`: `undefined` when the template cannot
 * yield it, `[[]]` when it yields it but cannot narrow the labels (several placeholders in one part).
 */
function partMatchers(segments: Segment[], part: Part, value: string): string[][] | undefined {
  const placeholders = segments.filter((segment): segment is { labels: string[] } => 'labels' in segment);
  if (placeholders.length === 0) {
    const literal = segments.map((segment) => ('literal' in segment ? segment.literal : '')).join('');
    return literal === value ? [[]] : undefined;
  }
  if (placeholders.length > 1) return [[]];
  const index = segments.findIndex((segment) => 'labels' in segment);
  const prefix = segments
    .slice(0, index)
    .map((segment) => ('literal' in segment ? segment.literal : ''))
    .join('');
  const suffix = segments
    .slice(index + 1)
    .map((segment) => ('literal' in segment ? segment.literal : ''))
    .join('');
  if (!value.startsWith(prefix) || !value.endsWith(suffix) || value.length <= prefix.length + suffix.length)
    return undefined;
  const inner = value.slice(prefix.length, value.length - suffix.length);
  const labels = placeholders[0]?.labels ?? [];
  // `{a|b}` takes the first present label: b counts only where a is absent.
  return labels.map((label, position) => [
    ...labels.slice(0, position).map((earlier) => labelMatcher(earlier, '=', '')),
    valueMatcher(label, inner, part),
  ]);
}

function templateMatchers(template: Template, parts: Record<Part, string>): string[][] | undefined {
  let combinations: string[][] = [[]];
  for (const part of ['kind', 'namespace', 'name'] as const) {
    const options = partMatchers(template.parts[part], part, parts[part]);
    if (!options) return undefined;
    const next = combinations.flatMap((prefix) => options.map((option) => [...prefix, ...option]));
    combinations = next.length > maxCombinations ? [[]] : next;
  }
  return combinations;
}

function splitRef(entity: EntityRef): Record<Part, string> {
  const colon = entity.indexOf(':');
  const slash = entity.indexOf('/', colon + 1);
  return {
    kind: entity.slice(0, colon),
    namespace: entity.slice(colon + 1, slash),
    name: entity.slice(slash + 1),
  };
}

/**
 * Builds the label ↔ entity mapping from its options. Throws an `InvalidInputError` for a malformed template
 * or label name.
 *
 * @param options - the entity label and the templates
 */
export function createEntityMapper(options: EntityMappingOptions = {}): EntityMapper {
  const entityLabel = options.entityLabel === undefined ? 'entity' : options.entityLabel;
  if (entityLabel !== null && !labelNamePattern.test(entityLabel)) {
    throw new InvalidInputError(
      `${moduleName}: entities.entityLabel "${entityLabel}" is not a Prometheus label name: use letters, digits and _`,
      { issues: [{ path: ['entities', 'entityLabel'], message: 'expected a label name' }] },
    );
  }
  const templates = (options.templates ?? defaultEntityTemplates).map(parseTemplate);
  const identityLabels = new Set<string>(['job']);
  if (entityLabel !== null) identityLabels.add(entityLabel);
  for (const template of templates)
    for (const part of ['kind', 'namespace', 'name'] as const)
      for (const segment of template.parts[part])
        if ('labels' in segment) for (const label of segment.labels) identityLabels.add(label);
  identityLabels.delete('alertname');

  return {
    identityLabels,
    entityOf(labels) {
      if (entityLabel !== null) {
        const explicit = labels[entityLabel];
        if (explicit !== undefined && isEntityRef(explicit)) return explicit;
      }
      for (const template of templates) {
        const used = new Set<string>();
        const kind = render(template.parts.kind, 'kind', labels, used);
        const namespace =
          kind === undefined ? undefined : render(template.parts.namespace, 'namespace', labels, used);
        const name = namespace === undefined ? undefined : render(template.parts.name, 'name', labels, used);
        if (name === undefined) continue;
        const ref = `${kind}:${namespace}/${name}`;
        if (isEntityRef(ref)) return ref;
      }
      return undefined;
    },
    selectorsOf(entity) {
      const parts = splitRef(entity);
      const selectors: string[] = [];
      if (entityLabel !== null) selectors.push(labelMatcher(entityLabel, '=', entity));
      for (const template of templates) {
        const combinations = templateMatchers(template, parts);
        if (!combinations) continue;
        for (const matchers of combinations) {
          if (matchers.length === 0) return undefined;
          selectors.push(matchers.join(', '));
        }
      }
      return [...new Set(selectors)];
    },
  };
}
