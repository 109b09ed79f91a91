import { z } from 'zod';
import { resolveConnectionTarget } from './connection-targets';
import type { CallEdgeAttributes } from './edge-kinds';
import { formatEntityRef } from './entity-ref';
import { formatFieldPath, GraphInputError } from './graph-errors';
import { storeOf } from './graph-store';
import type { IngestReport, SkippedDocument } from './ingest-report';
import type { KnowledgeGraph } from './knowledge-graph';
import type { NodeKind } from './node-kinds';
import type { FactSource, Provenance } from './provenance';
import { redactSecrets } from './secret-redaction';

/** Span kinds, as OpenTelemetry names them. */
export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** A span attribute value. */
export type SpanAttributeValue = string | number | boolean;

/**
 * A span record, OpenTelemetry-like. Either flat fields (`serviceName`, `durationMs`,
 * `attributes` as a map) or OTLP JSON fields (`resource.attributes`, `startTimeUnixNano`,
 * attributes as `[{ key, value: { stringValue } }]`, numeric `kind` and `status.code`) work.
 */
export interface SpanRecord {
  /** Trace id. */
  readonly traceId: string;
  /** Span id. */
  readonly spanId: string;
  /** Parent span id; absent or empty for a root span. */
  readonly parentSpanId?: string;
  /** Operation name. */
  readonly name?: string;
  /** Span kind: a name, `SPAN_KIND_CLIENT`, or the OTLP number (2 server, 3 client, 4 producer, 5 consumer). */
  readonly kind?: SpanKind | string | number;
  /** `service.name`, when not in the attributes. */
  readonly serviceName?: string;
  /** Start, in milliseconds since the epoch. */
  readonly startTimeMs?: number;
  /** End, in milliseconds since the epoch. */
  readonly endTimeMs?: number;
  /** Duration, in milliseconds. */
  readonly durationMs?: number;
  /** Start, OTLP style (nanoseconds since the epoch, as a string or number). */
  readonly startTimeUnixNano?: string | number;
  /** End, OTLP style. */
  readonly endTimeUnixNano?: string | number;
  /** `ok`, `error`, `unset`, or OTLP `{ code }` (2 or `STATUS_CODE_ERROR` is an error). */
  readonly status?: string | { readonly code?: string | number };
  /** Span attributes: `peer.service`, `server.address`, `db.system`, `messaging.system`, ... */
  readonly attributes?: Readonly<Record<string, SpanAttributeValue>> | readonly OtlpKeyValue[];
  /** Resource attributes: `service.name`, `service.namespace`, `k8s.namespace.name`. */
  readonly resource?: {
    readonly attributes?: Readonly<Record<string, SpanAttributeValue>> | readonly OtlpKeyValue[];
  };
}

/** An OTLP JSON attribute. */
export interface OtlpKeyValue {
  /** Attribute name. */
  readonly key: string;
  /** Attribute value, one of the typed fields. */
  readonly value: {
    readonly stringValue?: string;
    readonly intValue?: string | number;
    readonly doubleValue?: number;
    readonly boolValue?: boolean;
  };
}

/** Options of {@link ingestSpans}. */
export interface SpanIngestOptions {
  /** Namespace of services whose spans name none; `default` by default. */
  readonly namespace?: string;
  /** Length of the observation window, for rates; by default from the earliest start to the latest end. */
  readonly windowMs?: number;
  /** Source recorded in the provenance; `traces` by default. */
  readonly source?: FactSource;
  /** Confidence of the facts; 0.95 by default. */
  readonly confidence?: number;
  /** When the spans were observed; the latest span end, else the graph's clock. */
  readonly observedAt?: number;
  /** Prefix of every citation (the trace backend, the query). */
  readonly citation?: string;
}

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);
const otlpKeyValue = z.object({
  key: z.string(),
  value: z.object({
    stringValue: z.string().optional(),
    intValue: z.union([z.string(), z.number()]).optional(),
    doubleValue: z.number().optional(),
    boolValue: z.boolean().optional(),
  }),
});
const attributesSchema = z.union([z.record(z.string(), attributeValue), z.array(otlpKeyValue)]).optional();
const timeSchema = z.union([z.string().regex(/^\d+$/), z.number()]).optional();

const spanSchema = z.object({
  traceId: z.string().min(1),
  spanId: z.string().min(1),
  parentSpanId: z.string().optional(),
  name: z.string().optional(),
  kind: z.union([z.string(), z.number()]).optional(),
  serviceName: z.string().optional(),
  startTimeMs: z.number().optional(),
  endTimeMs: z.number().optional(),
  durationMs: z.number().nonnegative().optional(),
  startTimeUnixNano: timeSchema,
  endTimeUnixNano: timeSchema,
  status: z.union([z.string(), z.object({ code: z.union([z.string(), z.number()]).optional() })]).optional(),
  attributes: attributesSchema,
  resource: z.object({ attributes: attributesSchema }).optional(),
});

interface Span {
  readonly index: number;
  readonly key: string;
  readonly parentKey: string | undefined;
  readonly traceId: string;
  readonly spanId: string;
  readonly kind: SpanKind | undefined;
  readonly service: string;
  readonly namespace: string;
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly durationMs: number;
  readonly error: boolean;
  readonly attributes: Readonly<Record<string, SpanAttributeValue>>;
}

function flatten(attributes: z.infer<typeof attributesSchema>): Record<string, SpanAttributeValue> {
  if (attributes === undefined) return {};
  if (!Array.isArray(attributes)) return attributes;
  const flat: Record<string, SpanAttributeValue> = {};
  for (const { key, value } of attributes) {
    const entry = value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
    if (entry !== undefined)
      flat[key] = typeof entry === 'string' && value.intValue !== undefined ? Number(entry) : entry;
  }
  return flat;
}

const kindNames: Readonly<Record<string, SpanKind>> = {
  '1': 'internal',
  '2': 'server',
  '3': 'client',
  '4': 'producer',
  '5': 'consumer',
  internal: 'internal',
  server: 'server',
  client: 'client',
  producer: 'producer',
  consumer: 'consumer',
};

function spanKind(kind: string | number | undefined): SpanKind | undefined {
  if (kind === undefined) return undefined;
  return kindNames[
    String(kind)
      .toLowerCase()
      .replace(/^span_kind_/, '')
  ];
}

function isError(
  status: z.infer<typeof spanSchema>['status'],
  attributes: Record<string, SpanAttributeValue>,
) {
  if (attributes.error === true) return true;
  if (status === undefined) return false;
  const code = typeof status === 'object' ? status.code : status;
  return code === 2 || (typeof code === 'string' && /error/i.test(code));
}

function text(value: SpanAttributeValue | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : String(value);
}

function nanosToMs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value / 1e6 : Number(BigInt(value) / 1000n) / 1000;
}

function normalise(value: unknown, index: number, defaultNamespace: string): Span | GraphInputError {
  const parsed = spanSchema.safeParse(value);
  const fail = (path: string, message: string) =>
    new GraphInputError(
      'invalid-span',
      `graph-spans: span ${index}${path === '' ? '' : ` at ${path}`}: ${message}. The other spans were ingested.`,
      {
        documentIndex: index,
        path,
      },
    );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(formatFieldPath(issue?.path ?? []), issue?.message ?? 'invalid');
  }
  const span = parsed.data;
  const resource = flatten(span.resource?.attributes);
  const attributes = flatten(span.attributes);
  const service = span.serviceName ?? text(resource['service.name']) ?? text(attributes['service.name']);
  if (service === undefined) return fail('resource.attributes', 'no service.name');
  const namespace =
    text(resource['service.namespace']) ??
    text(resource['k8s.namespace.name']) ??
    text(attributes['service.namespace']) ??
    defaultNamespace;
  const start = span.startTimeMs ?? nanosToMs(span.startTimeUnixNano);
  const end = span.endTimeMs ?? nanosToMs(span.endTimeUnixNano);
  const durationMs = span.durationMs ?? (start !== undefined && end !== undefined ? end - start : undefined);
  if (durationMs === undefined || durationMs < 0)
    return fail('durationMs', 'no duration (durationMs, or start and end times)');
  const parent = span.parentSpanId === undefined || span.parentSpanId === '' ? undefined : span.parentSpanId;
  return {
    index,
    key: `${span.traceId}/${span.spanId}`,
    parentKey: parent === undefined ? undefined : `${span.traceId}/${parent}`,
    traceId: span.traceId,
    spanId: span.spanId,
    kind: spanKind(span.kind),
    service: service.toLowerCase(),
    namespace,
    start,
    end: end ?? (start === undefined ? undefined : start + durationMs),
    durationMs,
    error: isError(span.status, attributes),
    attributes,
  };
}

const dbKinds: Readonly<Record<string, NodeKind>> = {
  redis: 'redis',
  postgresql: 'postgres',
  postgres: 'postgres',
};

interface CallStats {
  readonly source: string;
  readonly target: string;
  readonly operation: string;
  readonly durations: number[];
  errors: number;
  readonly example: Span;
}

function percentile(sorted: readonly number[], fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1] as number;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * Ingests spans as `calls` edges between services (and from services to datastores, queues and
 * external hosts), with the call rate, error ratio and latency percentiles (p50, p95, p99) over
 * the observed window. A call is counted once: from the client or producer span when there is
 * one, else from the server span whose parent belongs to another service.
 *
 * @param graph - The graph to add to.
 * @param spans - Span records.
 * @param options - Default namespace, window, source, confidence, citation.
 * @returns What was ingested, skipped, and rejected (malformed spans, with their index and path).
 */
export function ingestSpans(
  graph: KnowledgeGraph,
  spans: readonly unknown[],
  options: SpanIngestOptions = {},
): IngestReport {
  const store = storeOf(graph);
  const nodesBefore = store.nodeCount;
  const edgesBefore = store.edgeCount;
  const errors: GraphInputError[] = [];
  const skipped: SkippedDocument[] = [];
  const valid: Span[] = [];
  const byKey = new Map<string, Span>();
  const children = new Map<string, Span[]>();
  spans.forEach((value, index) => {
    const span = normalise(value, index, options.namespace ?? 'default');
    if (span instanceof GraphInputError) {
      errors.push(span);
      return;
    }
    valid.push(span);
    byKey.set(span.key, span);
  });
  for (const span of valid) {
    if (span.parentKey === undefined) continue;
    const list = children.get(span.parentKey);
    if (list === undefined) children.set(span.parentKey, [span]);
    else list.push(span);
  }
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.NEGATIVE_INFINITY;
  for (const span of valid) {
    if (span.start !== undefined && span.start < windowStart) windowStart = span.start;
    if (span.end !== undefined && span.end > windowEnd) windowEnd = span.end;
  }
  const windowMs = options.windowMs ?? (windowEnd > windowStart ? windowEnd - windowStart : undefined);
  const isNamespace = (namespace: string) => store.nodesInNamespace(namespace).size > 0;
  const serviceRef = (span: Span) => formatEntityRef('service', span.namespace, span.service);
  const peerTarget = (span: Span): { ref: string; operation: string } | undefined => {
    const attributes = span.attributes;
    const messaging = text(attributes['messaging.system']);
    if (messaging !== undefined && (span.kind === 'producer' || span.kind === 'consumer')) {
      const name =
        text(attributes['messaging.destination.name']) ??
        text(attributes['messaging.destination']) ??
        text(attributes['peer.service']);
      if (name === undefined) return undefined;
      return {
        ref: formatEntityRef('queue', span.namespace, name.toLowerCase()),
        operation: span.kind === 'producer' ? 'publish' : 'receive',
      };
    }
    if (span.kind !== 'client' && span.kind !== 'producer') return undefined;
    const database = text(attributes['db.system']);
    const peer = text(attributes['peer.service']);
    const host =
      text(attributes['server.address']) ??
      text(attributes['net.peer.name']) ??
      hostOfUrl(text(attributes['url.full']) ?? text(attributes['http.url']));
    const portValue = attributes['server.port'] ?? attributes['net.peer.port'];
    const port =
      typeof portValue === 'number' ? portValue : portValue === undefined ? undefined : Number(portValue);
    const operation = database === undefined ? 'call' : 'query';
    if (peer !== undefined && database === undefined) {
      return { ref: formatEntityRef('service', span.namespace, peer.toLowerCase()), operation };
    }
    if (host === undefined && peer === undefined) return undefined;
    const target = resolveConnectionTarget(
      { scheme: undefined, host: (host ?? peer ?? '').toLowerCase(), port, endpoint: host ?? peer ?? '' },
      database ?? '',
      { namespace: span.namespace, isNamespace },
    );
    const kind =
      database === undefined
        ? target.kind
        : (dbKinds[database] ?? (target.inCluster ? 'service' : 'external'));
    const name = peer !== undefined && target.inCluster ? peer.toLowerCase() : target.name;
    return { ref: formatEntityRef(kind, target.namespace, name), operation };
  };

  const stats = new Map<string, CallStats>();
  const count = (source: string, target: string, operation: string, span: Span) => {
    if (source === target) return;
    const key = `${source}\u0000${target}`;
    const entry = stats.get(key);
    if (entry === undefined) {
      stats.set(key, {
        source,
        target,
        operation,
        durations: [span.durationMs],
        errors: span.error ? 1 : 0,
        example: span,
      });
    } else {
      entry.durations.push(span.durationMs);
      if (span.error) entry.errors++;
    }
  };
  let ingested = 0;
  for (const span of valid) {
    const own = serviceRef(span);
    if (span.kind === 'client' || span.kind === 'producer' || span.kind === 'consumer') {
      const viaAttributes = peerTarget(span);
      const remoteChild = (children.get(span.key) ?? []).find((child) => serviceRef(child) !== own);
      if (viaAttributes !== undefined && (remoteChild === undefined || viaAttributes.operation !== 'call')) {
        count(own, viaAttributes.ref, viaAttributes.operation, span);
      } else if (remoteChild !== undefined) {
        count(own, serviceRef(remoteChild), 'call', span);
      } else if (viaAttributes !== undefined) {
        count(own, viaAttributes.ref, viaAttributes.operation, span);
      } else if (span.kind === 'client') {
        skipped.push({
          documentIndex: span.index,
          kind: 'span',
          name: span.spanId,
          reason: 'client span with no peer (no child span, peer.service or server.address)',
        });
        continue;
      }
    } else if (span.parentKey !== undefined) {
      const parent = byKey.get(span.parentKey);
      if (
        parent !== undefined &&
        serviceRef(parent) !== own &&
        parent.kind !== 'client' &&
        parent.kind !== 'producer'
      ) {
        count(serviceRef(parent), own, 'call', span);
      }
    }
    ingested++;
  }

  const prefix = options.citation === undefined ? '' : `${redactSecrets(options.citation)}: `;
  const source = options.source ?? 'traces';
  const confidence = options.confidence ?? 0.95;
  const observedAt =
    options.observedAt ?? (windowEnd > Number.NEGATIVE_INFINITY ? windowEnd : store.clock.now());
  // One observation per service and batch, citing a trace it was seen in.
  const services = new Map<string, { span: Span; count: number }>();
  for (const span of valid) {
    const ref = serviceRef(span);
    const seen = services.get(ref);
    if (seen === undefined) services.set(ref, { span, count: 1 });
    else seen.count++;
  }
  for (const [ref, { span, count }] of services) {
    store.applyNode(ref, undefined, {
      source,
      observedAt,
      confidence,
      citation: `${prefix}service.name ${span.service} in ${count} spans, e.g. trace ${span.traceId}`,
    });
  }
  for (const entry of stats.values()) {
    const sorted = entry.durations.sort((left, right) => left - right);
    const attributes: CallEdgeAttributes = {
      callCount: sorted.length,
      errorRatio: round(entry.errors / sorted.length),
      latencyP50Ms: round(percentile(sorted, 0.5)),
      latencyP95Ms: round(percentile(sorted, 0.95)),
      latencyP99Ms: round(percentile(sorted, 0.99)),
      operation: entry.operation,
    };
    if (windowMs !== undefined && windowMs > 0) attributes.rate = round(sorted.length / (windowMs / 1000));
    const provenance: Provenance = {
      source,
      observedAt,
      confidence,
      citation: `${prefix}${sorted.length} spans, e.g. trace ${entry.example.traceId} span ${entry.example.spanId}`,
    };
    store.applyEdge(entry.source, 'calls', entry.target, attributes as Record<string, unknown>, provenance);
  }
  return {
    ingested,
    skipped,
    errors,
    nodesCreated: store.nodeCount - nodesBefore,
    edgesCreated: store.edgeCount - edgesBefore,
  };
}

function hostOfUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^:/?#]+)/i.exec(url);
  return match?.[1];
}
