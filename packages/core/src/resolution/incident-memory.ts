import type { EntityRef } from '../contracts/entity-ref';
import type { PastIncident } from '../investigation/hypothesis-generators';
import type { IncidentRecord } from './incident-capture';

/**
 * Where past incidents are remembered, so the investigation's `incidents` generator can use them: pass
 * `pastIncidents` as the investigator's `pastIncidents` option. In memory
 * ({@link createInMemoryIncidentMemory}), a JSON file ({@link openFileIncidentMemory}), or a host's own store.
 */
export interface IncidentMemory {
  /** Remembers an incident (a record with the same id replaces the earlier one). */
  record(incident: IncidentRecord): Promise<void>;
  /** Past incidents whose root cause is one of `entities`, newest first. Synchronous: it reads what is loaded. */
  pastIncidents(entities: readonly EntityRef[]): PastIncident[];
  /** Every incident remembered, oldest first. */
  incidents(): IncidentRecord[];
}

/** Keeps incident records by id, oldest first; the shared core of the memory stores. */
export class IncidentList {
  readonly #byId = new Map<string, IncidentRecord>();

  /** @param records - records to start with */
  constructor(records: readonly IncidentRecord[] = []) {
    for (const record of records) this.add(record);
  }

  /** Adds or replaces a record. */
  add(record: IncidentRecord): void {
    this.#byId.delete(record.id);
    this.#byId.set(record.id, structuredClone(record));
  }

  /** Every record, copied, oldest first (by time, then id). */
  all(): IncidentRecord[] {
    return [...this.#byId.values()]
      .map((record) => structuredClone(record))
      .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Past incidents of the given root-cause entities, newest first. */
  pastIncidents(entities: readonly EntityRef[]): PastIncident[] {
    const wanted = new Set<string>(entities);
    return this.all()
      .reverse()
      .filter((record) => wanted.has(record.entity))
      .map((record) => ({ entity: record.entity, fault: record.fault, at: record.at }));
  }
}

/**
 * An {@link IncidentMemory} kept in memory.
 *
 * @param records - incidents known from the start
 */
export function createInMemoryIncidentMemory(records: readonly IncidentRecord[] = []): IncidentMemory {
  const list = new IncidentList(records);
  return {
    record: async (incident) => list.add(incident),
    pastIncidents: (entities) => list.pastIncidents(entities),
    incidents: () => list.all(),
  };
}
