import { z } from 'zod';
import type { JsonValue } from '../contracts/common';
import type { EntityRef } from '../contracts/entity-ref';
import { InvalidInputError } from '../errors/aisre-error';
import type { SystemMap } from '../investigation/system-map';
import type { TrafficModel } from './types';

const day = 86_400_000;

/** Options of {@link diurnalTrafficModel}. */
export interface DiurnalTrafficOptions {
  /** Traffic at the peak relative to the quietest hour (≥ 1). */
  peakMultiplier: number;
  /** The time of the peak, `HH:MM` UTC. */
  peakAt: string;
  /** How narrow the busy part of the day is (default 4): higher keeps nights nearer the quietest level. */
  sharpness?: number;
}

/** A traffic model that never changes (multiplier 1). */
export const flatTrafficModel: TrafficModel = Object.freeze({
  multiplierAt: () => 1,
  description: 'flat',
});

/**
 * A daily traffic curve: `1 + (peak − 1) × ((1 + cos(2π (t − peakAt) / 24 h)) / 2) ^ sharpness`.
 * It is 1 (the quietest level) twelve hours from the peak and `peakMultiplier` at `peakAt`; with the
 * default sharpness 4 a curve peaking at 09:00 is ×2.8 at 03:00 when the peak is ×30.
 *
 * @param options - peak multiplier, peak time, sharpness
 * @throws {@link InvalidInputError} for a multiplier below 1 or a time that is not `HH:MM`.
 */
export function diurnalTrafficModel(options: DiurnalTrafficOptions): TrafficModel {
  const match = /^(\d{1,2}):(\d{2})$/.exec(options.peakAt);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 23 || minutes > 59)
    throw new InvalidInputError(`core: awareness: traffic peak "${options.peakAt}" must be HH:MM (UTC)`, {
      issues: [{ path: ['peakAt'], message: 'expected HH:MM' }],
    });
  if (!(options.peakMultiplier >= 1) || !Number.isFinite(options.peakMultiplier))
    throw new InvalidInputError('core: awareness: traffic peak multiplier must be a number ≥ 1', {
      issues: [{ path: ['peakMultiplier'], message: 'expected a number ≥ 1' }],
    });
  const peakOffset = (hours * 60 + minutes) * 60_000;
  const sharpness = options.sharpness ?? 4;
  const amplitude = options.peakMultiplier - 1;
  return {
    multiplierAt(epochMs) {
      const phase = (2 * Math.PI * (epochMs - peakOffset)) / day;
      return 1 + amplitude * ((1 + Math.cos(phase)) / 2) ** sharpness;
    },
    description: `diurnal, ×${options.peakMultiplier} at ${options.peakAt} UTC`,
  };
}

const trafficAttributesSchema = z.object({
  pattern: z.enum(['flat', 'diurnal']),
  peakMultiplier: z.number().min(1).optional(),
  peakAt: z.string().optional(),
});

/**
 * Reads a traffic model from topology attributes, when they describe one: either an object
 * `traffic: { pattern, peakMultiplier?, peakAt? }` or flat attributes `trafficPattern`,
 * `peakMultiplier` (or `trafficPeakMultiplier`) and `peakAt` (or `trafficPeakAt`). Defaults as the mock
 * scenarios: peak ×10 at 14:00 UTC. Returns `undefined` when the attributes say nothing or are malformed.
 *
 * @param attributes - an entity's attributes
 */
export function trafficModelFromAttributes(attributes: Record<string, JsonValue>): TrafficModel | undefined {
  const nested = attributes.traffic;
  const candidate =
    nested && typeof nested === 'object' && !Array.isArray(nested)
      ? nested
      : {
          pattern: attributes.trafficPattern,
          peakMultiplier: attributes.trafficPeakMultiplier ?? attributes.peakMultiplier,
          peakAt: attributes.trafficPeakAt ?? attributes.peakAt,
        };
  const parsed = trafficAttributesSchema.safeParse(candidate);
  if (!parsed.success) return undefined;
  if (parsed.data.pattern === 'flat') return flatTrafficModel;
  try {
    return diurnalTrafficModel({
      peakMultiplier: parsed.data.peakMultiplier ?? 10,
      peakAt: parsed.data.peakAt ?? '14:00',
    });
  } catch {
    return undefined;
  }
}

/**
 * The traffic model that drives an entity: its own traffic attributes, else those of the nearest entity
 * that depends on it (the traffic that reaches it comes from upstream), else any entity's (a system-wide
 * pattern), else none.
 *
 * @param map - the system map
 * @param entity - the entity
 * @param upstream - the entities that depend on it, nearest first
 */
export function trafficModelFor(
  map: SystemMap,
  entity: EntityRef,
  upstream: readonly EntityRef[],
): TrafficModel | undefined {
  for (const ref of [entity, ...upstream]) {
    const attributes = map.entity(ref)?.attributes;
    const model = attributes ? trafficModelFromAttributes(attributes) : undefined;
    if (model) return model;
  }
  for (const mapped of map.entities()) {
    const model = trafficModelFromAttributes(mapped.attributes);
    if (model) return model;
  }
  return undefined;
}
