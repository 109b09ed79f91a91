import { capQuantiles, createQuantileSeries, quantilesAt, setQuantiles, shareAbove } from './quantiles';
import type { Simulation } from './simulation';
import type { EdgeView } from './simulation-types';

const inClusterRoundTripSeconds = 0.0004;

/**
 * What a caller sees of a callee: the callee's server-side latency plus the way in (round trip, network
 * trouble, waiting for a pooled connection), capped at the caller's client timeout; the share of calls
 * that time out; the callee's errors on the rest.
 */
export function computeEdgeView(simulation: Simulation, edgeIndex: number): EdgeView {
  const { model } = simulation;
  const length = model.stepCount;
  const edge = model.edges[edgeIndex];
  const view: EdgeView = {
    latency: createQuantileSeries(length),
    effective: createQuantileSeries(length),
    errorRatio: new Float64Array(length),
    timeoutRatio: new Float64Array(length),
  };
  if (!edge) return view;
  const callee = model.entities[edge.to];
  const health = simulation.health(edge.to);
  const roundTrip = callee?.kind === 'external' ? 0 : inClusterRoundTripSeconds;
  for (let step = 0; step < length; step++) {
    const server = quantilesAt(health.latency, step);
    const added = health.intakeAddedSeconds[step] ?? 0;
    const jitter = health.intakeJitterSeconds[step] ?? 0;
    const wait = health.intakeWaitFactor[step] ?? 1;
    const raw = {
      p50: (server.p50 + roundTrip + added) * wait,
      p95: (server.p95 + roundTrip + added + 0.5 * jitter) * wait,
      p99: (server.p99 + roundTrip + added + jitter) * wait,
    };
    const timeout = Math.min(
      1,
      shareAbove(raw, edge.timeoutSeconds) + (health.intakeTimeoutRatio[step] ?? 0),
    );
    const seen = capQuantiles(raw, edge.timeoutSeconds);
    setQuantiles(view.latency, step, seen);
    const penalty = health.missPenaltySeconds[step] ?? 0;
    setQuantiles(view.effective, step, {
      p50: seen.p50 + penalty,
      p95: seen.p95 + penalty,
      p99: seen.p99 + penalty,
    });
    view.timeoutRatio[step] = timeout;
    view.errorRatio[step] = (health.errorRatio[step] ?? 0) * (1 - timeout);
  }
  return view;
}
