import type { EntityRef } from '../contracts/entity-ref';
import type { EntityObservation, StatisticKind } from './symptom-survey';

/** The call graph as the propagation analysis walks it. */
export interface PropagationGraph {
  /** What a slowdown or a failure can travel up from: an entity's dependencies (and a queue's consumers). */
  successorsOf(ref: EntityRef): readonly EntityRef[];
  /** The entity's kind (`service`, `external`, …). */
  kindOf(ref: EntityRef): string;
}

/** How much of one entity's change another entity accounts for. */
export interface Explanation {
  /** The explaining entity. */
  entity: EntityRef;
  /** The share of the change it accounts for, 0..1. */
  share: number;
  /** `dependency`: a call it makes; `fronted`: a remote endpoint seen as an observation of what it fronts. */
  relation: 'dependency' | 'fronted';
}

/** What the propagation analysis concludes about one entity. */
export interface PropagationFinding {
  /** The entity. */
  entity: EntityRef;
  /** Its own anomaly, 0..1 (its observation's degree). */
  degree: number;
  /** The most anomalous chain of calls from the alerting entity to it (both included). */
  path: EntityRef[];
  /** The weakest anomaly along that chain (the alerting entity excluded, unobserved entities passing), 0..1. */
  pathStrength: number;
  /** The share of its change that what it calls does not explain: the part that starts here, 0..1. */
  ownShare: number;
  /** What accounts for the rest, largest first. */
  explainedBy: Explanation[];
  /** The share of the alerting entity's change its own part accounts for (undefined for the alerting entity). */
  symptomShare: number | undefined;
  /**
   * How much it looks like where the trouble starts, 0..1: degree × path strength × min(1, symptom share) —
   * the symptom share already counts only its own part; for the alerting entity, its own share.
   */
  rootDegree: number;
}

const clamp = (value: number) => Math.min(1, Math.max(0, value));

/** The most anomalous path from the origin to every entity: the widest path, the width being the weakest degree. */
function widestPaths(
  origin: EntityRef,
  graph: PropagationGraph,
  observations: ReadonlyMap<EntityRef, EntityObservation>,
): Map<EntityRef, { strength: number; previous: EntityRef | undefined }> {
  const best = new Map<EntityRef, { strength: number; previous: EntityRef | undefined }>([
    [origin, { strength: 1, previous: undefined }],
  ]);
  const settled = new Set<EntityRef>();
  for (;;) {
    let current: EntityRef | undefined;
    for (const [ref, entry] of best) {
      if (settled.has(ref)) continue;
      const known = current === undefined ? undefined : best.get(current);
      if (
        !known ||
        entry.strength > known.strength ||
        (entry.strength === known.strength && ref < (current as EntityRef))
      )
        current = ref;
    }
    if (current === undefined) return best;
    settled.add(current);
    const strength = best.get(current)?.strength ?? 0;
    for (const next of [...graph.successorsOf(current)].sort()) {
      if (settled.has(next)) continue;
      const through = Math.min(strength, observations.get(next)?.degree ?? 1);
      const known = best.get(next);
      if (!known || through > known.strength) best.set(next, { strength: through, previous: current });
    }
  }
}

/** Every entity from which `target` can be reached along successors (its callers, transitively). */
function ancestorsOf(
  target: EntityRef,
  nodes: readonly EntityRef[],
  graph: PropagationGraph,
): Set<EntityRef> {
  const predecessors = new Map<EntityRef, EntityRef[]>();
  for (const node of nodes)
    for (const next of graph.successorsOf(node)) {
      const list = predecessors.get(next) ?? [];
      list.push(node);
      predecessors.set(next, list);
    }
  const seen = new Set<EntityRef>();
  const stack = [target];
  while (stack.length > 0) {
    const ref = stack.pop() as EntityRef;
    for (const previous of predecessors.get(ref) ?? []) {
      if (seen.has(previous)) continue;
      seen.add(previous);
      stack.push(previous);
    }
  }
  return seen;
}

/**
 * Where along the call graph the symptom starts, from every entity's own reading of the symptom series.
 * A root cause's anomaly propagates to its callers and on to the alerting entity; so the root cause is an
 * anomalous entity that (1) is reached from the alerting entity through anomalous entities only, (2) whose
 * change its own dependencies do not explain, and (3) whose own change is large enough to account for the
 * alerting entity's.
 *
 * - **Own share**: an entity's change minus what its dependencies pass up to it, each dependency's change
 *   weighted by its anomaly degree and, for means and ratios, by how many calls it gets per request of the
 *   entity (their rates' ratio): mean latency and failed requests accumulate along synchronous call chains.
 *   Rates of events (failures per second) add up as they are.
 * - **Remote endpoints** (`external` entities with no dependencies: a caller's view of an address such as a
 *   load balancer) are observations of whatever serves them, which the map does not show: when an entity that
 *   is not one of their callers changes on its own, their change is taken as its reflection, in proportion to
 *   that entity's degree and own share.
 * - **Symptom share**: the entity's own change, weighted by its rate over the alerting entity's (for means and
 *   ratios), over the alerting entity's change.
 *
 * @param trigger - the alerting entity
 * @param observations - every observed entity's reading of the symptom series
 * @param graph - the call graph
 * @param kind - what the statistic is (weights differ for rates)
 * @param nodes - the entities to judge (usually the causal reach)
 */
export function analyzePropagation(
  trigger: EntityRef,
  observations: ReadonlyMap<EntityRef, EntityObservation>,
  graph: PropagationGraph,
  kind: StatisticKind,
  nodes: readonly EntityRef[],
): Map<EntityRef, PropagationFinding> {
  const paths = widestPaths(trigger, graph, observations);
  const weight = (from: EntityObservation, to: EntityObservation) =>
    kind === 'rate' || from.rate === undefined || to.rate === undefined || to.rate <= 0
      ? 1
      : from.rate / to.rate;
  const own = new Map<EntityRef, { share: number; explainedBy: Explanation[] }>();
  for (const ref of nodes) {
    const observation = observations.get(ref);
    if (!observation) continue;
    const explainedBy: Explanation[] = [];
    let explained = 0;
    if (observation.excess > 0) {
      for (const dependency of graph.successorsOf(ref)) {
        const other = observations.get(dependency);
        if (!other || other.excess <= 0) continue;
        const passed = other.degree * other.excess * weight(other, observation);
        explained += passed;
        if (passed > 0)
          explainedBy.push({
            entity: dependency,
            share: clamp(passed / observation.excess),
            relation: 'dependency',
          });
      }
    }
    const share = observation.excess > 0 ? clamp(1 - explained / observation.excess) : 0;
    own.set(ref, { share, explainedBy });
  }
  for (const ref of nodes) {
    const observation = observations.get(ref);
    const entry = own.get(ref);
    if (!observation || !entry || observation.excess <= 0) continue;
    if (graph.kindOf(ref) !== 'external' || graph.successorsOf(ref).length > 0) continue;
    const callers = ancestorsOf(ref, nodes, graph);
    let fronted: Explanation | undefined;
    for (const [other, reading] of observations) {
      if (other === ref || other === trigger || callers.has(other) || reading.excess <= 0) continue;
      if (graph.kindOf(other) === 'external') continue;
      const share = reading.degree * (own.get(other)?.share ?? 0);
      if (share > (fronted?.share ?? 0) || (share === fronted?.share && other < fronted.entity))
        fronted = { entity: other, share, relation: 'fronted' };
    }
    if (fronted && fronted.share > 0) {
      entry.share *= 1 - fronted.share;
      entry.explainedBy.push(fronted);
    }
  }
  const symptom = observations.get(trigger);
  const findings = new Map<EntityRef, PropagationFinding>();
  for (const ref of nodes) {
    const observation = observations.get(ref);
    const entry = own.get(ref);
    if (!observation || !entry) continue;
    const path: EntityRef[] = [];
    for (let step: EntityRef | undefined = ref; step !== undefined; step = paths.get(step)?.previous)
      path.unshift(step);
    const reached = paths.has(ref);
    const pathStrength = reached ? (paths.get(ref)?.strength ?? 0) : 0;
    const symptomShare =
      ref === trigger || !symptom || symptom.excess <= 0
        ? undefined
        : Math.max(0, (entry.share * observation.excess * weight(observation, symptom)) / symptom.excess);
    findings.set(ref, {
      entity: ref,
      degree: observation.degree,
      path: reached ? path : [ref],
      pathStrength,
      ownShare: entry.share,
      explainedBy: [...entry.explainedBy].sort((a, b) => b.share - a.share || (a.entity < b.entity ? -1 : 1)),
      symptomShare,
      rootDegree: observation.degree * pathStrength * Math.min(1, symptomShare ?? entry.share),
    });
  }
  return findings;
}

function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  return Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(3));
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

/**
 * One sentence for the report: the chain the anomaly travelled, the entity's own change and what explains
 * the rest, and how much of the alerting entity's change it accounts for.
 *
 * @param finding - the entity's finding
 * @param observations - the observations the finding rests on
 */
export function describeFinding(
  finding: PropagationFinding,
  observations: ReadonlyMap<EntityRef, EntityObservation>,
): string {
  const observation = observations.get(finding.entity);
  if (!observation) return `${finding.entity}: not observed`;
  if (observation.idle) return 'it served no requests during the symptom, so it passed nothing up';
  const change = `${observation.series}: ${round(observation.baseline)} → ${round(observation.recent)} ${observation.unit} (robust z ${round(observation.z)})`;
  if (observation.excess <= 0 || finding.degree < 0.5) return `${change}: no anomaly of its own`;
  const chain =
    finding.path.length > 1
      ? `; reached through ${
          finding.path
            .slice(1, -1)
            .map((ref) => `${ref} (z ${round(observations.get(ref)?.z ?? Number.NaN)})`)
            .join(' → ') || 'a direct call'
        }${finding.pathStrength < 0.5 ? ', a chain that is not anomalous all the way' : ''}`
      : '';
  const explained =
    finding.explainedBy.length > 0
      ? `; ${percent(finding.ownShare)} of it is its own (${finding.explainedBy
          .slice(0, 3)
          .map(
            (item) =>
              `${item.relation === 'fronted' ? 'reflects' : 'passed up by'} ${item.entity}: ${percent(item.share)}`,
          )
          .join(', ')})`
      : '; what it calls stayed normal, so the change is its own';
  const share =
    finding.symptomShare === undefined
      ? ''
      : `; it accounts for ${percent(Math.min(finding.symptomShare, 1))} of the alerting entity's change`;
  return `${change}${chain}${explained}${share}`;
}
