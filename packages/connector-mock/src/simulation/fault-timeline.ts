import { faultTypeDescriptor } from '../scenario/fault-catalogue';
import { numberParameter } from '../scenario/scenario-parameters';
import type { ModelFault, ModelNoise, SystemModel } from './system-model';

const minuteMs = 60_000;

function smoothstep(fraction: number): number {
  const clamped = Math.min(1, Math.max(0, fraction));
  return clamped * clamped * (3 - 2 * clamped);
}

/** Minutes a fault takes to reach full strength. */
export function rampMinutesOf(fault: ModelFault): number {
  if ('rampMinutes' in fault.params) return numberParameter(fault.params, 'rampMinutes');
  return fault.type === 'config.bad-change' ? 0.5 : 1;
}

/**
 * A fault's strength per step, 0..1: its onset (a smooth ramp for gradual faults, a short one for abrupt
 * ones), its own end, and the recovery after a mitigating action.
 */
export function faultStrength(
  model: SystemModel,
  fault: ModelFault,
  mitigation: { atMs: number; recoveryMs: number } | undefined,
): Float64Array {
  const values = new Float64Array(model.stepCount);
  const gradual = faultTypeDescriptor(fault.type)?.onset === 'gradual';
  const rampMs = Math.max(rampMinutesOf(fault) * minuteMs, 1);
  const fallMs = gradual ? Math.max(minuteMs, rampMs / 2) : minuteMs;
  for (let step = 0; step < model.stepCount; step++) {
    const at = model.startMs + step * model.stepMs;
    if (at < fault.startMs) continue;
    const onset = gradual
      ? smoothstep((at - fault.startMs) / rampMs)
      : Math.min(1, (at - fault.startMs) / rampMs);
    let remaining = 1;
    if (fault.endMs !== undefined && at > fault.endMs)
      remaining = 1 - smoothstep((at - fault.endMs) / fallMs);
    if (mitigation && at > mitigation.atMs) {
      remaining = Math.min(
        remaining,
        1 - smoothstep((at - mitigation.atMs) / Math.max(mitigation.recoveryMs, 1)),
      );
    }
    values[step] = onset * remaining;
  }
  return values;
}

/** A bell-shaped bump (0..1) lasting `durationMs` from `atMs`, per step. */
export function bell(model: SystemModel, atMs: number, durationMs: number): Float64Array {
  const values = new Float64Array(model.stepCount);
  for (let step = 0; step < model.stepCount; step++) {
    const fraction = (model.startMs + step * model.stepMs - atMs) / durationMs;
    if (fraction > 0 && fraction < 1) values[step] = Math.sin(Math.PI * fraction) ** 2;
  }
  return values;
}

/** The bump of an `anomaly` noise entry, per step (0..1). */
export function anomalyBump(model: SystemModel, noise: ModelNoise): Float64Array {
  return bell(model, noise.atMs, numberParameter(noise.params, 'durationMinutes') * minuteMs);
}

/** A short rise (0..1) after each time in `times`, as a rolling update causes, per step. */
export function rolloutBump(model: SystemModel, times: readonly number[]): Float64Array {
  const values = new Float64Array(model.stepCount);
  for (const at of times) {
    const bump = bell(model, at - 15_000, 150_000);
    for (let step = 0; step < values.length; step++)
      values[step] = Math.max(values[step] ?? 0, bump[step] ?? 0);
  }
  return values;
}
