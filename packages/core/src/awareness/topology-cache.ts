import type { Clock, Logger } from '../contracts/common';
import { type Connector, type TopologySnapshot, topologySnapshotSchema } from '../contracts/connector';
import type { CallContext } from '../contracts/tool';
import { AisreError, ConnectorError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';
import { SystemMap } from '../investigation/system-map';
import { SystemProximity } from './system-proximity';
import { callWithTimeout, describeFailure } from './telemetry-reading';

/** A scanned system: its map and the distances in it. */
export interface ScannedSystem {
  /** The map. */
  map: SystemMap;
  /** Distances, ignoring direction. */
  proximity: SystemProximity;
}

/** What the cache needs. */
export interface TopologyCacheOptions {
  /** Connectors; those with `topology` are scanned. */
  connectors: readonly Connector[];
  /** The clock refreshes are timed on. */
  clock: Clock;
  /** Where to log. */
  logger: Logger;
  /** How long a call may take, ms. */
  callTimeoutMs: number;
  /** How long a scan stays fresh, ms. */
  refreshMs: number;
  /** Told about each connector whose scan failed. */
  onFailure: (error: AisreError) => void;
}

/** How soon a scan is retried after a connector failed, ms on the clock. */
const retryAfterFailureMs = 60_000;

/**
 * The system map built from every connector's `topology.scan`, scanned on first use and again once it is
 * `refreshMs` old (a minute after a failed scan). Scans are validated; failures are reported, never thrown.
 */
export class TopologyCache {
  readonly #options: TopologyCacheOptions;
  #scan: Promise<ScannedSystem> | undefined;
  #freshUntil = Number.NEGATIVE_INFINITY;

  /** @param options - connectors, clock, timeouts, failure callback */
  constructor(options: TopologyCacheOptions) {
    this.#options = options;
  }

  /** The scanned system, scanning when stale. */
  current(): Promise<ScannedSystem> {
    const now = this.#options.clock.now();
    if (!this.#scan || now >= this.#freshUntil) {
      this.#freshUntil = now + this.#options.refreshMs;
      this.#scan = this.#scanAll(now);
    }
    return this.#scan;
  }

  /** Scans again now. */
  refresh(): Promise<ScannedSystem> {
    this.#scan = undefined;
    return this.current();
  }

  async #scanAll(now: number): Promise<ScannedSystem> {
    const map = new SystemMap();
    for (const connector of this.#options.connectors) {
      const topology = connector.capabilities.topology;
      if (!topology) continue;
      const what = `core: awareness: ${connector.name} topology`;
      try {
        const snapshot = await callWithTimeout(
          (signal) => topology.scan(this.#context(signal)),
          this.#options.callTimeoutMs,
          what,
        );
        map.addTopology(parseWith(topologySnapshotSchema, snapshot, what) as TopologySnapshot);
      } catch (error) {
        this.#freshUntil = Math.min(this.#freshUntil, now + retryAfterFailureMs);
        this.#options.logger.warn(`${what} scan failed`, { error: describeFailure(error) });
        this.#options.onFailure(
          AisreError.isInstance(error)
            ? error
            : new ConnectorError(connector.name, `${what} scan failed: ${describeFailure(error)}`, {
                cause: error,
              }),
        );
      }
    }
    return { map, proximity: new SystemProximity(map) };
  }

  #context(signal: AbortSignal): CallContext {
    return { signal, logger: this.#options.logger, clock: this.#options.clock };
  }
}
