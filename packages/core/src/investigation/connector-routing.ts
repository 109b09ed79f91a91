import type { CapabilityName, Connector, TopologySnapshot } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';

/**
 * Which connector answers a question about an entity. A host may give several connectors with the same
 * capability — Prometheus for every entity's history, a Redis connector for its own logs — so each check goes
 * to the first connector, in the order given, that has the capability and whose topology scan named the
 * entity; when none named it, to the first capable connector that named nothing (it serves whatever it is
 * asked), else to the first capable one. Put the connector with the longest history first.
 */
export class ConnectorRouting {
  readonly #connectors: readonly Connector[];
  readonly #claims = new Map<Connector, Set<EntityRef>>();

  /** @param connectors - the investigation's connectors, in the host's order */
  constructor(connectors: readonly Connector[]) {
    this.#connectors = connectors;
  }

  /**
   * Notes the entities a connector's topology scan named.
   *
   * @param connector - the connector that scanned
   * @param snapshot - what it found
   */
  claim(connector: Connector, snapshot: TopologySnapshot): void {
    let claimed = this.#claims.get(connector);
    if (!claimed) {
      claimed = new Set();
      this.#claims.set(connector, claimed);
    }
    for (const entity of snapshot.entities) claimed.add(entity.ref);
  }

  /** True when some connector has the capability. */
  has(capability: CapabilityName): boolean {
    return this.#connectors.some((connector) => connector.capabilities[capability] !== undefined);
  }

  /**
   * The connector that answers `capability` about `entity` (about anything, without one).
   *
   * @param capability - what is asked
   * @param entity - about whom
   */
  pick(capability: CapabilityName, entity?: EntityRef): Connector | undefined {
    let firstUnclaimed: Connector | undefined;
    let first: Connector | undefined;
    for (const connector of this.#connectors) {
      if (connector.capabilities[capability] === undefined) continue;
      first ??= connector;
      const claimed = this.#claims.get(connector);
      if (entity !== undefined && claimed?.has(entity)) return connector;
      if (!claimed || claimed.size === 0) firstUnclaimed ??= connector;
    }
    return firstUnclaimed ?? first;
  }
}
