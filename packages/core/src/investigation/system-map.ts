import type { JsonValue } from '../contracts/common';
import type { TopologySnapshot } from '../contracts/connector';
import { type EntityRef, isEntityRef } from '../contracts/entity-ref';
import type { CallStats } from '../contracts/telemetry';

/** What the engine knows of one entity of the system. */
export interface MappedEntity {
  /** Its ref. */
  ref: EntityRef;
  /** Its kind (the ref's kind). */
  kind: string;
  /** Attributes from the topology (tier, team, limits…). */
  attributes: Record<string, JsonValue>;
}

/**
 * The system as the investigation sees it: entities, what each depends on, what consumes each queue.
 * Built from topology scans and observed calls; never from a scenario's ground truth.
 */
export class SystemMap {
  readonly #entities = new Map<EntityRef, MappedEntity>();
  readonly #dependsOn = new Map<EntityRef, Set<EntityRef>>();
  readonly #dependents = new Map<EntityRef, Set<EntityRef>>();
  readonly #consumers = new Map<EntityRef, Set<EntityRef>>();
  #version = 0;

  /** Counts the changes to the map, so what is derived from it can tell when to derive it again. */
  get version(): number {
    return this.#version;
  }

  /** Adds (or merges attributes into) an entity. Every change to the map goes through here. */
  addEntity(ref: EntityRef, attributes: Record<string, JsonValue> = {}): void {
    this.#version++;
    const existing = this.#entities.get(ref);
    if (existing) Object.assign(existing.attributes, attributes);
    else
      this.#entities.set(ref, { ref, kind: ref.slice(0, ref.indexOf(':')), attributes: { ...attributes } });
  }

  /** Records that `from` depends on (calls, writes to, produces into) `to`. */
  addDependency(from: EntityRef, to: EntityRef): void {
    this.addEntity(from);
    this.addEntity(to);
    link(this.#dependsOn, from, to);
    link(this.#dependents, to, from);
  }

  /** Records that `consumer` consumes from `queue`. */
  addConsumer(queue: EntityRef, consumer: EntityRef): void {
    this.addEntity(queue);
    this.addEntity(consumer);
    link(this.#consumers, queue, consumer);
  }

  /** Adds what a topology scan found: entities, `depends-on`/`calls` and `consumes` relations. */
  addTopology(snapshot: TopologySnapshot): void {
    for (const entity of snapshot.entities)
      if (isEntityRef(entity.ref)) this.addEntity(entity.ref, entity.attributes);
    for (const relation of snapshot.relations) {
      if (!isEntityRef(relation.from) || !isEntityRef(relation.to)) continue;
      if (relation.kind === 'consumes') this.addConsumer(relation.to, relation.from);
      else if (relation.kind === 'depends-on' || relation.kind === 'calls')
        this.addDependency(relation.from, relation.to);
    }
  }

  /** Adds the calls seen in traces as dependencies. */
  addCalls(calls: readonly CallStats[]): void {
    for (const call of calls) this.addDependency(call.from, call.to);
  }

  /** The entity, if known. */
  entity(ref: EntityRef): MappedEntity | undefined {
    return this.#entities.get(ref);
  }

  /** Every known entity, in a stable order. */
  entities(): MappedEntity[] {
    return [...this.#entities.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  }

  /** What `ref` depends on, sorted. */
  dependenciesOf(ref: EntityRef): EntityRef[] {
    return this.#sorted(this.#dependsOn, ref);
  }

  /** What depends on `ref`, sorted. */
  dependentsOf(ref: EntityRef): EntityRef[] {
    return this.#sorted(this.#dependents, ref);
  }

  /** The consumers of a queue, sorted. */
  consumersOf(ref: EntityRef): EntityRef[] {
    return this.#sorted(this.#consumers, ref);
  }

  /** Sorted neighbour lists, kept until the map changes; callers get a copy they may change. */
  readonly #sortedCache = new Map<Map<EntityRef, Set<EntityRef>>, Map<EntityRef, EntityRef[]>>();
  #sortedVersion = -1;

  #sorted(relation: Map<EntityRef, Set<EntityRef>>, ref: EntityRef): EntityRef[] {
    if (this.#sortedVersion !== this.#version) {
      this.#sortedCache.clear();
      this.#sortedVersion = this.#version;
    }
    let byRef = this.#sortedCache.get(relation);
    if (!byRef) {
      byRef = new Map();
      this.#sortedCache.set(relation, byRef);
    }
    let list = byRef.get(ref);
    if (!list) {
      list = sorted(relation.get(ref));
      byRef.set(ref, list);
    }
    return list.slice();
  }

  /**
   * The entities whose failure can cause a symptom on `origin`, with their distance in hops: its
   * dependencies (transitively), a queue's consumers (a slow consumer grows the queue), and scheduled jobs
   * that share a datastore with anything in reach (co-scheduled contention). Breadth-first, deterministic.
   *
   * @param origin - the entity showing the symptom
   * @param depth - the most hops to go
   */
  causalReach(origin: EntityRef, depth: number): Map<EntityRef, number> {
    const distance = new Map<EntityRef, number>([[origin, 0]]);
    let frontier = [origin];
    for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
      const next: EntityRef[] = [];
      for (const ref of frontier) {
        for (const neighbour of [...this.dependenciesOf(ref), ...this.consumersOf(ref)]) {
          if (distance.has(neighbour)) continue;
          distance.set(neighbour, hop);
          next.push(neighbour);
        }
      }
      frontier = next;
    }
    for (const [ref, hops] of [...distance]) {
      const kind = this.#entities.get(ref)?.kind;
      if (kind !== 'redis' && kind !== 'postgres' && kind !== 'queue') continue;
      for (const dependent of this.dependentsOf(ref)) {
        if (this.#entities.get(dependent)?.kind === 'cronjob' && !distance.has(dependent))
          distance.set(dependent, hops + 1);
      }
    }
    return distance;
  }
}

function link(map: Map<EntityRef, Set<EntityRef>>, from: EntityRef, to: EntityRef): void {
  let set = map.get(from);
  if (!set) {
    set = new Set();
    map.set(from, set);
  }
  set.add(to);
}

function sorted(set: Set<EntityRef> | undefined): EntityRef[] {
  return set ? [...set].sort() : [];
}
