import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { createKnowledgeGraph } from './knowledge-graph';
import { ingestKubernetes } from './kubernetes-ingest';
import {
  autoscalerSpecSchema,
  clusterNodeSchema,
  configMapSchema,
  controllerSpecSchema,
  cronJobSpecSchema,
  ingressSpecSchema,
  jobSpecSchema,
  metadataSchema,
  namespaceSchema,
  podSchema,
  serviceSpecSchema,
} from './kubernetes-schemas';
import { fastCheckOf, safeParseWithoutCopy } from './schema-fast-check';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Every object of the fixtures, with the schemas the ingester validates its parts with. */
function cases(): { schema: z.ZodType; value: unknown }[] {
  const documents = [fixture('shop-manifests.yaml'), fixture('kubectl-get-all.yaml')].flatMap((text) =>
    parseAllDocuments(text).map((document) => document.toJS() as Record<string, unknown>),
  );
  const objects = documents.flatMap((document) =>
    Array.isArray(document.items) ? (document.items as Record<string, unknown>[]) : [document],
  );
  const bySpec: Record<string, z.ZodType> = {
    Deployment: controllerSpecSchema,
    StatefulSet: controllerSpecSchema,
    CronJob: cronJobSpecSchema,
    Job: jobSpecSchema,
    Service: serviceSpecSchema,
    Ingress: ingressSpecSchema,
    HorizontalPodAutoscaler: autoscalerSpecSchema,
  };
  const byObject: Record<string, z.ZodType> = {
    Pod: podSchema,
    ConfigMap: configMapSchema,
    Node: clusterNodeSchema,
    Namespace: namespaceSchema,
  };
  const found: { schema: z.ZodType; value: unknown }[] = [];
  for (const object of objects) {
    found.push({ schema: metadataSchema, value: object.metadata });
    const kind = object.kind as string;
    if (bySpec[kind] !== undefined) found.push({ schema: bySpec[kind], value: object.spec });
    if (byObject[kind] !== undefined) found.push({ schema: byObject[kind], value: object });
  }
  return found;
}

/** Whether zod's output is the input minus keys the schema does not name (nothing transformed). */
function isUnchangedOutput(output: unknown, input: unknown): boolean {
  if (Object.is(output, input)) return true;
  if (typeof output !== 'object' || output === null || typeof input !== 'object' || input === null)
    return false;
  if (Array.isArray(output)) {
    return (
      Array.isArray(input) &&
      output.length === input.length &&
      output.every((entry, index) => isUnchangedOutput(entry, input[index]))
    );
  }
  const source = input as Record<string, unknown>;
  return Object.entries(output).every(([key, entry]) => isUnchangedOutput(entry, source[key]));
}

const strange = fc.constantFrom<unknown>(
  undefined,
  null,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -1,
  1.5,
  0,
  '',
  'x',
  true,
  [],
  {},
  Object.create(null),
  { [Symbol('s')]: 'x' },
  new Date(0),
  () => 1,
);

/** Replaces the value at a path (indexes into the keys at each level) with another one. */
function mutate(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || typeof value !== 'object' || value === null) return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[(path[0] as number) % keys.length] as string;
  const copy: Record<string, unknown> = Array.isArray(value)
    ? (value.slice() as unknown as Record<string, unknown>)
    : { ...value };
  copy[key] = mutate((value as Record<string, unknown>)[key], path.slice(1), replacement);
  return copy;
}

describe('the compiled check of a zod schema', () => {
  it('accepts the fixtures as they are, and says yes only when zod accepts the value unchanged (property)', () => {
    const all = cases();
    for (const { schema, value } of all) {
      expect(fastCheckOf(schema)(value)).toBe(true);
      expect(isUnchangedOutput(schema.parse(value), value)).toBe(true);
    }
    fc.assert(
      fc.property(
        fc.nat({ max: all.length - 1 }),
        fc.array(
          fc.record({
            path: fc.array(fc.nat({ max: 12 }), { maxLength: 7 }),
            replacement: fc.oneof(fc.jsonValue({ maxDepth: 2 }), strange),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (index, mutations) => {
          const { schema, value } = all[index] as { schema: z.ZodType; value: unknown };
          let mutated = value;
          for (const { path, replacement } of mutations) mutated = mutate(mutated, path, replacement);
          const zod = schema.safeParse(mutated);
          if (fastCheckOf(schema)(mutated)) {
            expect(zod.success).toBe(true);
            expect(isUnchangedOutput(zod.data, mutated)).toBe(true);
          }
          // Either way the result is zod's.
          const result = safeParseWithoutCopy(schema, mutated);
          expect(result.success).toBe(zod.success);
          if (result.success) expect(result.data).toMatchObject(zod.data as object);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('leaves transforms, refinements and unknown constructs to zod', () => {
    const text = z.union([z.string(), z.number().transform((value) => String(value))]);
    expect(fastCheckOf(text)('a')).toBe(true);
    expect(fastCheckOf(text)(2)).toBe(false);
    expect(safeParseWithoutCopy(text, 2)).toEqual({ success: true, data: '2' });
    expect(fastCheckOf(z.string().refine((value) => value !== 'x'))('x')).toBe(false);
    expect(fastCheckOf(z.string().email())('a@b.c')).toBe(false);
    expect(fastCheckOf(z.object({ a: z.string() }).strict())({ a: 'x' })).toBe(false);
    expect(fastCheckOf(z.string().default('x'))(undefined)).toBe(false);
    // A union of two options of the same kind: zod picks the first that passes, so zod decides.
    expect(fastCheckOf(z.union([z.string().min(3), z.string()]))('ab')).toBe(false);
    expect(fastCheckOf(z.object({ a: z.unknown() }))({})).toBe(false);
    // Bounds: the strictest applies, whatever their order.
    const bounded = z.number().gt(0).min(0).max(1).lt(1).int();
    for (const value of [-1, 0, 0.5, 1, 2, Number.NaN, Number.POSITIVE_INFINITY, '1'])
      expect(fastCheckOf(bounded)(value)).toBe(bounded.safeParse(value).success);
    expect(fastCheckOf(z.number().multipleOf(2))(4)).toBe(false);
    expect(fastCheckOf(z.object({ a: z.unknown().optional() }))({})).toBe(true);
  });

  it('reports the problems zod reports', () => {
    const result = safeParseWithoutCopy(metadataSchema, { name: '', labels: { a: 1, b: [] } });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['labels.b', 'name']);
    }
  });
});

describe('ingesting without zod copies', () => {
  const deployment = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'cart', namespace: 'shop', labels: { app: 'cart', team: 'checkout' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'cart' } },
      template: {
        metadata: { labels: { app: 'cart' } },
        spec: { containers: [{ name: 'cart', image: 'cart:1' }] },
      },
    },
  });

  it('keeps copies, never the caller objects (nor freezes them)', () => {
    const input = deployment();
    const graph = createKnowledgeGraph();
    ingestKubernetes(graph, input);
    const node = graph.getNode<'deployment'>('deployment:shop/cart');
    expect(node?.attributes.labels).toEqual({ app: 'cart', team: 'checkout' });
    expect(Object.isFrozen(input.metadata.labels)).toBe(false);
    expect(Object.isFrozen(input.spec.template.metadata.labels)).toBe(false);
    input.metadata.labels.app = 'changed';
    input.spec.template.metadata.labels.app = 'changed';
    expect(graph.getNode<'deployment'>('deployment:shop/cart')?.attributes.labels?.app).toBe('cart');
    expect(graph.getNode<'deployment'>('deployment:shop/cart')?.attributes.podLabels?.app).toBe('cart');
  });

  it('gives the same graph for a document zod has to transform (a number label)', () => {
    const asText = deployment();
    const asNumber = deployment() as unknown as { metadata: { labels: Record<string, unknown> } };
    asText.metadata.labels = { ...asText.metadata.labels, version: '2' } as typeof asText.metadata.labels;
    asNumber.metadata.labels.version = 2;
    const clock = { now: () => 0 };
    const first = createKnowledgeGraph({ clock });
    const second = createKnowledgeGraph({ clock });
    ingestKubernetes(first, asText);
    ingestKubernetes(second, asNumber);
    expect(JSON.stringify(second.snapshot())).toBe(JSON.stringify(first.snapshot()));
  });
});
