import { smoothNoise } from './random';
import type { Simulation } from './simulation';
import type { QueueState } from './simulation-types';

/**
 * A queue's flow, step by step: producers publish what their successful requests produce (failed requests
 * publish nothing); consumers take up to their capacity, which shrinks when they are slower or failing than
 * usual (read from the same system without faults); the difference accumulates as depth.
 */
export function computeQueueState(simulation: Simulation, index: number): QueueState {
  const { model } = simulation;
  const entity = model.entities[index];
  const length = model.stepCount;
  const make = () => new Float64Array(length);
  const state: QueueState = {
    publishedPerSecond: make(),
    deliveredPerSecond: make(),
    ready: make(),
    consumers: make(),
    lagSeconds: make(),
  };
  if (!entity) return state;
  for (const edgeIndex of entity.incoming) {
    const edge = model.edges[edgeIndex];
    if (!edge) continue;
    const calls = simulation.edgeRate(edgeIndex);
    const producer = model.entities[edge.from];
    const failing = producer?.kind === 'service' ? simulation.health(edge.from).errorRatio : make();
    const view = simulation.edgeView(edgeIndex);
    for (let step = 0; step < length; step++) {
      const succeeded =
        (1 - (failing[step] ?? 0)) * (1 - (view.errorRatio[step] ?? 0) - (view.timeoutRatio[step] ?? 0));
      state.publishedPerSecond[step] =
        (state.publishedPerSecond[step] ?? 0) + (calls[step] ?? 0) * Math.max(0, succeeded);
    }
  }
  const nominalPeak = Math.max(1, (simulation.nominalRates()[index] ?? 0) * model.peakTraffic);
  const capacity = make();
  for (const consumer of entity.consumers) {
    const replicas = simulation.settings(consumer).replicas;
    const pods = model.entities[consumer]?.replicas ?? 1;
    let totalPods = 0;
    for (const other of entity.consumers) totalPods += model.entities[other]?.replicas ?? 1;
    const health = simulation.health(consumer);
    const usual = simulation.quiet().health(consumer);
    for (let step = 0; step < length; step++) {
      const slowdown = (usual.latency.p50[step] ?? 1) / Math.max(health.latency.p50[step] ?? 1, 1e-6);
      const perPod = (1.8 * nominalPeak) / totalPods;
      capacity[step] =
        (capacity[step] ?? 0) +
        perPod * (replicas[step] ?? pods) * Math.min(1, slowdown) * (1 - (health.errorRatio[step] ?? 0));
      state.consumers[step] = (state.consumers[step] ?? 0) + (replicas[step] ?? pods);
    }
  }
  const noise = smoothNoise(simulation.random(`queue|${entity.ref}`), length, 0.15, 0.6);
  const stepSeconds = model.stepMs / 1000;
  let backlog = 0;
  for (let step = 0; step < length; step++) {
    const published = state.publishedPerSecond[step] ?? 0;
    const available = capacity[step] ?? 0;
    const delivered = Math.min(available, published + backlog / stepSeconds);
    backlog = Math.max(0, backlog + (published - delivered) * stepSeconds);
    const inFlight = published * 0.25 * (1 + (noise[step] ?? 0));
    state.deliveredPerSecond[step] = delivered;
    state.ready[step] = Math.max(0, Math.round(backlog + inFlight));
    state.lagSeconds[step] = Math.min(86_400, (state.ready[step] ?? 0) / Math.max(delivered, 0.05) + 0.05);
  }
  return state;
}
