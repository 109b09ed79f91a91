import type { EntityRef } from '../contracts/entity-ref';
import type { SystemMap } from '../investigation/system-map';

/**
 * Distances in a {@link SystemMap} regardless of direction, for grouping and neighbourhoods: an entity's
 * dependencies, its dependents, a queue's consumers and the queues an entity consumes are one hop away,
 * so two services sharing a datastore are two hops apart. Built once per map version.
 */
export class SystemProximity {
  readonly #adjacent = new Map<EntityRef, Set<EntityRef>>();
  readonly #upstream = new Map<EntityRef, Set<EntityRef>>();

  /** @param map - the system map to index */
  constructor(map: SystemMap) {
    for (const { ref } of map.entities()) {
      for (const dependency of map.dependenciesOf(ref)) {
        this.#link(this.#adjacent, ref, dependency);
        this.#link(this.#adjacent, dependency, ref);
        this.#link(this.#upstream, dependency, ref);
      }
      for (const consumer of map.consumersOf(ref)) {
        this.#link(this.#adjacent, ref, consumer);
        this.#link(this.#adjacent, consumer, ref);
        this.#link(this.#upstream, ref, consumer);
      }
    }
  }

  /**
   * The entities within `hops` of `origin`, ignoring direction, with their distance (origin at 0).
   * Breadth-first in sorted order, so the result is deterministic.
   */
  neighbourhood(origin: EntityRef, hops: number): Map<EntityRef, number> {
    return this.#walk(this.#adjacent, origin, hops);
  }

  /**
   * What breaks when `origin` breaks: everything that depends on it, transitively (a queue's consumers
   * included), nearest first, without `origin` itself.
   */
  upstreamOf(origin: EntityRef): EntityRef[] {
    const reach = this.#walk(this.#upstream, origin, Number.POSITIVE_INFINITY);
    reach.delete(origin);
    return [...reach.keys()];
  }

  #walk(edges: Map<EntityRef, Set<EntityRef>>, origin: EntityRef, hops: number): Map<EntityRef, number> {
    const distance = new Map<EntityRef, number>([[origin, 0]]);
    let frontier = [origin];
    for (let hop = 1; hop <= hops && frontier.length > 0; hop++) {
      const next: EntityRef[] = [];
      for (const ref of frontier) {
        for (const neighbour of [...(edges.get(ref) ?? [])].sort()) {
          if (distance.has(neighbour)) continue;
          distance.set(neighbour, hop);
          next.push(neighbour);
        }
      }
      frontier = next;
    }
    return distance;
  }

  #link(edges: Map<EntityRef, Set<EntityRef>>, from: EntityRef, to: EntityRef): void {
    if (from === to) return;
    let set = edges.get(from);
    if (!set) {
      set = new Set();
      edges.set(from, set);
    }
    set.add(to);
  }
}
