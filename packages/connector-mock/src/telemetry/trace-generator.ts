import type { CallStats, EntityRef, JsonValue, Span } from '@aisre/core';
import { formatIsoTime } from '../scenario/duration';
import { versionAt } from '../simulation/change-timeline';
import { quantileAt, quantilesAt } from '../simulation/quantiles';
import type { RandomSource } from '../simulation/random';
import type { Simulation } from '../simulation/simulation';
import type { ModelEdge, ModelEntity } from '../simulation/system-model';
import { roundValue } from './metric-query';
import { clusterHost, databaseName, externalHost, routesOf, servicePorts } from './naming';

const tracesPerStep = 2;
const maximumSpans = 60;
const maximumDepth = 7;

interface Outcome {
  durationMs: number;
  failed: boolean;
}

class TraceBuilder {
  readonly spans: Span[] = [];
  readonly traceId: string;

  constructor(
    private readonly simulation: Simulation,
    private readonly step: number,
    private readonly random: RandomSource,
  ) {
    this.traceId = random.hex(32);
  }

  private push(span: Omit<Span, 'traceId' | 'spanId'>, spanId: string): void {
    this.spans.push({ traceId: this.traceId, spanId, ...span });
  }

  /** A server (or consumer, or job) span of `entity` with its calls; returns its duration and outcome. */
  serve(
    entity: ModelEntity,
    startMs: number,
    parentId: string | undefined,
    kind: Span['kind'],
    depth: number,
  ): Outcome {
    const { simulation, step, random } = this;
    const health = simulation.health(entity.index);
    const spanId = random.hex(16);
    const ownMs =
      entity.kind === 'cronjob'
        ? entity.baseline.latencySeconds * 1000 * random.between(3, 8)
        : quantileAt(quantilesAt(health.own, step), random.next()) * 1000;
    let ownFailure = 0;
    for (const cause of health.causes) if (cause.peer === undefined) ownFailure += cause.ratio[step] ?? 0;
    let failed = random.next() < ownFailure;
    let cursor = startMs + ownMs * 0.3;
    for (const edgeIndex of entity.outgoing) {
      const edge = simulation.model.edges[edgeIndex];
      if (!edge) continue;
      const calls = Math.min(3, Math.floor(edge.fanout) + (random.next() < edge.fanout % 1 ? 1 : 0));
      for (let call = 0; call < calls && this.spans.length < maximumSpans; call++) {
        const outcome = this.call(edge, cursor, spanId, depth);
        cursor += outcome.durationMs;
        if (outcome.failed && random.next() < edge.damping) failed = true;
      }
    }
    const durationMs = cursor - startMs + ownMs * 0.7;
    const version = versionAt(simulation, entity.index, startMs);
    const route = random.pick(routesOf(entity).slice(0, 2));
    const method = random.next() < 0.7 ? 'GET' : 'POST';
    const attributes: Record<string, JsonValue> =
      kind === 'server'
        ? {
            'http.request.method': method,
            'http.route': route,
            'http.response.status_code': failed ? 500 : 200,
            'service.version': version,
          }
        : { 'service.version': version };
    this.push(
      {
        ...(parentId ? { parentSpanId: parentId } : {}),
        entity: entity.ref,
        name:
          kind === 'server'
            ? `${method} ${route}`
            : kind === 'internal'
              ? `run ${entity.name}`
              : `process ${this.consumedName ?? entity.name}`,
        kind,
        start: formatIsoTime(Math.round(startMs)),
        durationMs: roundValue(durationMs),
        status: failed ? 'error' : kind === 'server' ? 'unset' : 'ok',
        attributes,
      },
      spanId,
    );
    return { durationMs, failed };
  }

  private consumedName: string | undefined;

  private call(edge: ModelEdge, startMs: number, parentId: string, depth: number): Outcome {
    const { simulation, step, random } = this;
    const model = simulation.model;
    const caller = model.entities[edge.from];
    const callee = model.entities[edge.to];
    if (!caller || !callee) return { durationMs: 0, failed: false };
    const view = simulation.edgeView(edge.index);
    const calleeHealth = simulation.health(callee.index);
    const spanId = random.hex(16);
    let durationMs: number;
    let timedOut = false;
    let failed = false;
    const timeoutMs = edge.timeoutSeconds * 1000;
    if (callee.kind === 'service' && depth < maximumDepth) {
      const addedMs =
        ((calleeHealth.intakeAddedSeconds[step] ?? 0) +
          (calleeHealth.intakeJitterSeconds[step] ?? 0) * random.next() ** 3) *
        1000;
      const inner = this.serve(callee, startMs + 0.2 + addedMs / 2, spanId, 'server', depth + 1);
      durationMs = inner.durationMs + 0.4 + addedMs;
      failed = inner.failed;
      if (durationMs > timeoutMs || random.next() < (calleeHealth.intakeTimeoutRatio[step] ?? 0)) {
        durationMs = timeoutMs;
        timedOut = true;
      }
    } else {
      timedOut = random.next() < (view.timeoutRatio[step] ?? 0);
      durationMs = timedOut
        ? timeoutMs
        : quantileAt(quantilesAt(view.latency, step), random.next() * 0.999) * 1000;
      failed = !timedOut && random.next() < (view.errorRatio[step] ?? 0);
    }
    failed = failed || timedOut;
    const attributes = this.clientAttributes(callee, failed, timedOut);
    const producer = callee.kind === 'queue';
    this.push(
      {
        parentSpanId: parentId,
        entity: caller.ref,
        name: this.clientName(callee),
        kind: producer ? 'producer' : 'client',
        peer: callee.ref,
        start: formatIsoTime(Math.round(startMs)),
        durationMs: roundValue(durationMs),
        status: failed ? 'error' : 'unset',
        attributes,
      },
      spanId,
    );
    if (
      producer &&
      !failed &&
      depth < maximumDepth &&
      callee.consumers.length > 0 &&
      this.spans.length < maximumSpans
    ) {
      const consumer = model.entities[random.pick(callee.consumers)];
      const lagMs = Math.min(600_000, (simulation.queue(callee.index).lagSeconds[step] ?? 0) * 1000);
      if (consumer) {
        this.consumedName = callee.name;
        this.serve(consumer, startMs + durationMs + lagMs, spanId, 'consumer', depth + 1);
        this.consumedName = undefined;
      }
    }
    return { durationMs, failed };
  }

  private clientName(callee: ModelEntity): string {
    switch (callee.kind) {
      case 'redis':
        return this.random.next() < 0.62 ? 'GET' : 'SET';
      case 'postgres':
        return `${this.random.pick(['SELECT', 'SELECT', 'INSERT', 'UPDATE'])} ${databaseName(callee)}`;
      case 'queue':
        return `publish ${callee.name}`;
      case 'external':
        return 'POST';
      default:
        return `GET ${routesOf(callee)[0] ?? '/'}`;
    }
  }

  private clientAttributes(
    callee: ModelEntity,
    failed: boolean,
    timedOut: boolean,
  ): Record<string, JsonValue> {
    const model = this.simulation.model;
    const error: Record<string, JsonValue> = timedOut
      ? { 'error.type': 'timeout' }
      : failed
        ? { 'error.type': 'error' }
        : {};
    switch (callee.kind) {
      case 'redis':
        return {
          'db.system': 'redis',
          'server.address': clusterHost(model, callee),
          'server.port': servicePorts.redis ?? 6379,
          ...error,
        };
      case 'postgres':
        return {
          'db.system': 'postgresql',
          'db.namespace': databaseName(callee),
          'server.address': clusterHost(model, callee),
          ...error,
        };
      case 'queue':
        return {
          'messaging.system': 'rabbitmq',
          'messaging.destination.name': callee.name,
          'messaging.operation.type': 'publish',
          ...error,
        };
      case 'external':
        return {
          'http.request.method': 'POST',
          'server.address': externalHost(callee),
          'url.full': `https://${externalHost(callee)}/v1/requests`,
          ...(timedOut ? {} : { 'http.response.status_code': failed ? 502 : 200 }),
          ...error,
        };
      default:
        return {
          'http.request.method': 'GET',
          'server.address': clusterHost(model, callee),
          'server.port': servicePorts.service ?? 8080,
          ...(timedOut ? {} : { 'http.response.status_code': failed ? 503 : 200 }),
          ...error,
        };
    }
  }
}

/** The spans of every trace started during one step (cached in the simulation). */
export function spansAt(simulation: Simulation, step: number): Span[] {
  return simulation.memo(`spans|${step}`, () => {
    const { model } = simulation;
    const spans: Span[] = [];
    for (const entity of model.entities) {
      const jobRunning =
        entity.kind === 'cronjob' && (simulation.jobActivity(entity.index).running[step] ?? 0) > 0;
      const traces = entity.kind === 'service' && entity.entryRps > 0 ? tracesPerStep : jobRunning ? 1 : 0;
      for (let trace = 0; trace < traces; trace++) {
        const random = simulation.random(`trace|${entity.ref}|${step}|${trace}`);
        const builder = new TraceBuilder(simulation, step, random);
        const startMs = simulation.timeAt(step) + random.next() * model.stepMs;
        builder.serve(entity, startMs, undefined, entity.kind === 'cronjob' ? 'internal' : 'server', 0);
        spans.push(...builder.spans);
      }
    }
    return spans;
  });
}

/** Spans in the window as of `nowMs` (started in the window, ended by now), optionally of one entity (as emitter or peer), newest first. */
export function querySpans(
  simulation: Simulation,
  query: { start: number; end: number; entity?: EntityRef; limit?: number },
  nowMs: number,
): Span[] {
  const { model } = simulation;
  const start = Math.max(query.start, model.startMs);
  const end = Math.min(query.end, nowMs);
  const limit = query.limit ?? 100;
  const found: Span[] = [];
  if (end < start) return found;
  const lastStep = Math.min(model.stepCount - 1, Math.floor((end - model.startMs) / model.stepMs));
  const firstStep = Math.max(0, Math.floor((start - model.startMs) / model.stepMs) - 1);
  for (let step = lastStep; step >= firstStep && found.length < limit; step--) {
    for (const span of spansAt(simulation, step)) {
      if (query.entity !== undefined && span.entity !== query.entity && span.peer !== query.entity) continue;
      const at = Date.parse(span.start);
      if (at < start || at > end || at + span.durationMs > nowMs) continue;
      found.push(span);
    }
  }
  found.sort((left, right) =>
    left.start < right.start ? 1 : left.start > right.start ? -1 : left.spanId.localeCompare(right.spanId),
  );
  return found.slice(0, limit).map((span) => structuredClone(span));
}

/** Every span (ended by `nowMs`) of the traces in `traceIds` that started in the window, oldest first. */
export function spansOfTraces(
  simulation: Simulation,
  traceIds: ReadonlySet<string>,
  query: { start: number; end: number },
  nowMs: number,
): Span[] {
  const { model } = simulation;
  const end = Math.min(query.end, nowMs);
  const found: Span[] = [];
  const firstStep = Math.max(0, Math.floor((query.start - model.startMs) / model.stepMs) - 1);
  const lastStep = Math.min(model.stepCount - 1, Math.floor((end - model.startMs) / model.stepMs));
  for (let step = firstStep; step <= lastStep; step++) {
    for (const span of spansAt(simulation, step)) {
      if (traceIds.has(span.traceId) && Date.parse(span.start) + span.durationMs <= nowMs)
        found.push(structuredClone(span));
    }
  }
  return found;
}

/** Calls between entities over the window as of `nowMs`, aggregated from the same state the metrics show. */
export function queryCallStats(
  simulation: Simulation,
  query: { start: number; end: number; entity?: EntityRef },
  nowMs: number,
): CallStats[] {
  const { model } = simulation;
  const start = Math.max(query.start, model.startMs);
  const end = Math.min(query.end, nowMs, model.endMs);
  const stats: CallStats[] = [];
  if (end < start) return stats;
  const first = Math.ceil((start - model.startMs) / model.stepMs);
  const last = Math.floor((end - model.startMs) / model.stepMs);
  for (const edge of model.edges) {
    const from = model.entities[edge.from];
    const to = model.entities[edge.to];
    if (!from || !to) continue;
    if (query.entity !== undefined && from.ref !== query.entity && to.ref !== query.entity) continue;
    const rates = simulation.edgeRate(edge.index);
    const view = simulation.edgeView(edge.index);
    let calls = 0;
    let failures = 0;
    const latency = { p50: 0, p95: 0, p99: 0 };
    let steps = 0;
    for (let step = first; step <= last; step++) {
      const rate = rates[step] ?? 0;
      steps++;
      calls += rate;
      failures += rate * Math.min(1, (view.errorRatio[step] ?? 0) + (view.timeoutRatio[step] ?? 0));
      latency.p50 += rate * (view.latency.p50[step] ?? 0);
      latency.p95 += rate * (view.latency.p95[step] ?? 0);
      latency.p99 += rate * (view.latency.p99[step] ?? 0);
    }
    if (calls <= 0 || steps === 0) continue;
    stats.push({
      from: from.ref,
      to: to.ref,
      rate: roundValue(calls / steps),
      errorRatio: roundValue(Math.min(1, failures / calls)),
      p50Ms: roundValue((latency.p50 / calls) * 1000),
      p95Ms: roundValue((latency.p95 / calls) * 1000),
      p99Ms: roundValue((latency.p99 / calls) * 1000),
    });
  }
  return stats;
}
