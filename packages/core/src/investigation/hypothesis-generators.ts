import type { EntityRef } from '../contracts/entity-ref';
import type { Signal } from '../contracts/signal';
import type { ChangeEvent } from '../contracts/telemetry';
import type { FailurePattern } from './failure-patterns';
import type { SystemMap } from './system-map';

/** A past incident the engine can learn from. */
export interface PastIncident {
  /** The root-cause entity. */
  entity: EntityRef;
  /** The fault. */
  fault: string;
  /** When it happened, epoch ms. */
  at: number;
}

/** What generators see: the trigger and everything the scope found. */
export interface InvestigationScope {
  /** The trigger signal. */
  trigger: Signal;
  /** The time telemetry is read as of, epoch ms. */
  asOf: number;
  /** The system as scanned. */
  map: SystemMap;
  /** Entities that can cause the symptom, with their distance in hops from the trigger entity. */
  reach: ReadonlyMap<EntityRef, number>;
  /** Changes in the lookback window. */
  changes: readonly ChangeEvent[];
  /** Failure patterns in use. */
  patterns: readonly FailurePattern[];
  /** Past incidents touching the scope. */
  pastIncidents: readonly PastIncident[];
}

/**
 * A hypothesis proposal. `fault: 'degraded'` proposes an entity-level candidate that is refined into
 * specific faults once evidence supports it. A `candidate` proposal creates or strengthens a candidate
 * (weights of several candidates for the same pair: the largest is kept); a `boost` multiplies the weight
 * of an existing one and never creates one.
 */
export interface HypothesisProposal {
  /** The entity. */
  entity: EntityRef;
  /** The fault, or `degraded`. */
  fault: string;
  /** The weight (candidate) or the multiplier (boost). */
  weight: number;
  /** Create or strengthen, or only multiply. */
  mode: 'candidate' | 'boost';
  /** Why, for the report. */
  reason: string;
}

/** A pluggable source of hypotheses. */
export interface HypothesisGenerator {
  /** Its name, recorded on the hypotheses it proposes. */
  name: string;
  /** Proposes candidates (and boosts) from the scope. */
  propose(
    scope: InvestigationScope,
    options: { signal: AbortSignal },
  ): HypothesisProposal[] | Promise<HypothesisProposal[]>;
}

/** The fault id of an entity-level candidate. */
export const degradedFault = 'degraded';

/**
 * Graph generator: every entity that can cause the symptom (dependencies, a queue's consumers, scheduled
 * jobs sharing a datastore) is an entity-level candidate whose weight decays with distance.
 *
 * @param decay - weight multiplier per hop (default 0.75)
 */
export function graphGenerator(decay = 0.75): HypothesisGenerator {
  return {
    name: 'graph',
    propose(scope) {
      return [...scope.reach].map(([entity, hops]) => ({
        entity,
        fault: degradedFault,
        weight: decay ** hops,
        mode: 'candidate' as const,
        reason:
          hops === 0
            ? 'the alerting entity itself'
            : `${hops} hop${hops > 1 ? 's' : ''} from the alerting entity`,
      }));
    },
  };
}

/** Failure-pattern generator: each entity in scope gets the faults its kind can have, weighted by base rate. */
export function failurePatternGenerator(): HypothesisGenerator {
  return {
    name: 'failure-patterns',
    propose(scope) {
      const proposals: HypothesisProposal[] = [];
      for (const [entity] of scope.reach) {
        const kind = scope.map.entity(entity)?.kind ?? entity.slice(0, entity.indexOf(':'));
        for (const pattern of scope.patterns) {
          if (!pattern.entityKinds.includes(kind)) continue;
          proposals.push({
            entity,
            fault: pattern.fault,
            weight: pattern.baseRate,
            mode: 'candidate',
            reason: `known failure pattern of ${kind}`,
          });
        }
      }
      return proposals;
    },
  };
}

/**
 * Changes generator: a deploy or config change shortly before the trigger strengthens the entity and the
 * fault that change would cause; a job run overlapping the trigger strengthens the job.
 *
 * @param windowMs - how long before the trigger a change counts (default 45 min)
 */
export function changesGenerator(windowMs = 45 * 60_000): HypothesisGenerator {
  return {
    name: 'changes',
    propose(scope) {
      const proposals: HypothesisProposal[] = [];
      for (const change of scope.changes) {
        const at = Date.parse(change.at);
        const ended = change.endedAt ? Date.parse(change.endedAt) : undefined;
        if (at > scope.asOf || scope.asOf - at > windowMs * (change.kind === 'job-run' ? 4 : 1)) continue;
        if (!scope.reach.has(change.entity)) continue;
        const fault =
          change.kind === 'deploy' || change.kind === 'rollback'
            ? 'deploy.bad-release'
            : change.kind === 'config'
              ? 'config.bad-change'
              : change.kind === 'job-run'
                ? 'cronjob.resource-contention'
                : undefined;
        if (!fault) continue;
        if (change.kind === 'job-run' && ended !== undefined && ended < scope.asOf - windowMs) continue;
        const reason = `${change.kind} ${change.summary} at ${change.at}`;
        proposals.push({ entity: change.entity, fault: degradedFault, weight: 1.5, mode: 'boost', reason });
        proposals.push({ entity: change.entity, fault, weight: 2, mode: 'boost', reason });
      }
      return proposals;
    },
  };
}

/** Incidents generator: a fault that struck an entity before is more likely to strike it again. */
export function pastIncidentsGenerator(): HypothesisGenerator {
  return {
    name: 'incidents',
    propose(scope) {
      return scope.pastIncidents
        .filter((incident) => scope.reach.has(incident.entity))
        .flatMap((incident) => [
          {
            entity: incident.entity,
            fault: degradedFault,
            weight: 2,
            mode: 'boost' as const,
            reason: `past incident ${incident.fault}`,
          },
          {
            entity: incident.entity,
            fault: incident.fault,
            weight: 4,
            mode: 'boost' as const,
            reason: 'the same fault struck here before',
          },
        ]);
    },
  };
}

/** The built-in generators, in order. */
export function defaultGenerators(): HypothesisGenerator[] {
  return [graphGenerator(), failurePatternGenerator(), changesGenerator(), pastIncidentsGenerator()];
}
