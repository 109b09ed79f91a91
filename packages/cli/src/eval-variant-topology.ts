import type { ScenarioService, ScenarioTopology, ScenarioTraffic, ServiceKind } from '@aisre/connector-mock';

/** A seeded source of random choices (mulberry32): the same seed gives the same variants. */
export class SeededRandom {
  #state: number;

  /** @param seed - any 32-bit integer */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let value = this.#state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A number in [low, high). */
  range(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** An integer in [low, high]. */
  int(low: number, high: number): number {
    return Math.floor(this.range(low, high + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One of the items. */
  pick<Item>(items: readonly Item[]): Item {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('aisre eval: nothing to pick from');
    return item;
  }

  /** One of the items, by weight. */
  weighted<Item>(items: readonly (readonly [Item, number])[]): Item {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let left = this.next() * total;
    for (const [item, weight] of items) {
      left -= weight;
      if (left < 0) return item;
    }
    return (items.at(-1) as readonly [Item, number])[0];
  }

  /** `count` different items, in random order. */
  sample<Item>(items: readonly Item[], count: number): Item[] {
    const pool = [...items];
    const chosen: Item[] = [];
    while (chosen.length < count && pool.length > 0)
      chosen.push(pool.splice(this.int(0, pool.length - 1), 1)[0] as Item);
    return chosen;
  }
}

/** A generated system: its topology, traffic, and who calls whom. */
export interface VariantSystem {
  /** The topology of the scenario. */
  topology: ScenarioTopology;
  /** The traffic pattern. */
  traffic: ScenarioTraffic;
  /** Entries by name. */
  entries: Map<string, ScenarioService>;
  /** For each entry, the entries that call it, consume from it or run against it. */
  callers: Map<string, string[]>;
}

const serviceNames = [
  'accounts',
  'billing',
  'booking',
  'catalog',
  'checkout',
  'delivery',
  'feed',
  'inventory',
  'ledger',
  'matching',
  'media',
  'notify',
  'orders',
  'pricing',
  'profile',
  'quotes',
  'ranking',
  'reports',
  'search',
  'sessions',
  'shipping',
  'tickets',
];
const namespaces = [
  'atlas',
  'bazaar',
  'comet',
  'delta',
  'ember',
  'fjord',
  'garnet',
  'harbor',
  'iris',
  'juniper',
  'kepler',
  'lagoon',
  'meadow',
  'nimbus',
  'orbit',
  'prairie',
  'quartz',
  'raven',
  'summit',
  'tundra',
];
const teams = ['core', 'growth', 'payments', 'platform', 'data', 'mobile'];

/**
 * A random system in the shape real ones have: an entry service with outside traffic, two to four backend
 * services calling each other and their datastores (Postgres, Redis), sometimes a queue with a consumer, a
 * scheduled job against a datastore and an external API. Every datastore, queue and external has a caller.
 *
 * @param random - the random source
 * @param index - the variant's number (part of the namespace)
 */
export function randomSystem(random: SeededRandom, index: number): VariantSystem {
  const namespace = `${random.pick(namespaces)}-${index}`;
  const backends = random.sample(serviceNames, random.int(2, 4));
  const services: ScenarioService[] = [];
  const add = (entry: ScenarioService) => {
    services.push(entry);
    return entry;
  };
  const edge = add({
    name: 'edge',
    kind: 'service',
    tier: random.weighted([
      [1, 5],
      [2, 3],
      [3, 2],
    ]),
    replicas: random.int(2, 4),
    rps: Math.round(random.range(20, 600)),
    team: random.pick(teams),
    dependsOn: [],
  });
  const backendEntries = backends.map((name) =>
    add({
      name,
      kind: 'service',
      ...(random.chance(0.4) ? { tier: random.int(1, 3) } : {}),
      replicas: random.weighted([
        [1, 1],
        [2, 3],
        [3, 2],
        [4, 1],
      ]),
      team: random.pick(teams),
      dependsOn: [],
    }),
  );
  edge.dependsOn = random.sample(backends, random.int(1, Math.min(3, backends.length)));
  backendEntries.forEach((entry, position) => {
    const later = backends.slice(position + 1);
    if (later.length > 0 && random.chance(0.5)) entry.dependsOn?.push(random.pick(later));
  });
  const stores: ScenarioService[] = [];
  const databases = random.int(1, 2);
  for (let count = 0; count < databases; count++)
    stores.push(
      add({
        name: `${backends[count % backends.length]}-db`,
        kind: 'postgres',
        maxConnections: random.pick([100, 150, 200, 300, 500]),
        team: random.pick(teams),
      }),
    );
  const caches = random.int(0, 2);
  for (let count = 0; count < caches; count++)
    stores.push(
      add({
        name: `${backends[(count + 1) % backends.length]}-cache`,
        kind: 'redis',
        maxMemoryMb: random.pick([512, 1024, 2048, 4096, 8192, 16384]),
        team: random.pick(teams),
      }),
    );
  for (const store of stores) {
    const users = random.sample(backendEntries, random.int(1, Math.min(2, backendEntries.length)));
    for (const user of users) if (!user.dependsOn?.includes(store.name)) user.dependsOn?.push(store.name);
  }
  if (random.chance(0.4)) {
    const producer = random.pick(backendEntries);
    add({ name: 'events', kind: 'queue', team: producer.team ?? 'core' });
    producer.dependsOn?.push('events');
    add({
      name: 'worker',
      kind: 'service',
      replicas: random.int(1, 3),
      team: producer.team ?? 'core',
      consumes: ['events'],
      dependsOn: [random.pick(stores).name],
    });
  }
  if (random.chance(0.4)) {
    const store = random.pick(stores);
    add({
      name: 'nightly-job',
      kind: 'cronjob',
      schedule: random.pick(['*/30 * * * *', '0 * * * *', '15 */2 * * *', '30 1 * * *']),
      team: 'platform',
      dependsOn: [store.name],
    });
  }
  if (random.chance(0.4)) {
    add({ name: 'provider-api', kind: 'external', team: 'core' });
    random.pick(backendEntries).dependsOn?.push('provider-api');
  }
  for (const entry of services) if (entry.dependsOn?.length === 0) delete entry.dependsOn;
  const entries = new Map(services.map((entry) => [entry.name, entry]));
  const callers = new Map<string, string[]>(services.map((entry) => [entry.name, []]));
  for (const entry of services)
    for (const callee of [...(entry.dependsOn ?? []), ...(entry.consumes ?? [])])
      callers.get(callee)?.push(entry.name);
  const traffic: ScenarioTraffic = random.chance(0.55)
    ? {
        pattern: 'diurnal',
        peakMultiplier: Math.round(random.range(3, 30)),
        peakAt: `${String(random.int(7, 20)).padStart(2, '0')}:00`,
      }
    : { pattern: 'flat' };
  return { topology: { namespace, services }, traffic, entries, callers };
}

/** The entries that (transitively) call `name`, nearest first, up to `hops` away, with their distance. */
export function upstreamOf(system: VariantSystem, name: string, hops: number): [string, number][] {
  const found = new Map<string, number>([[name, 0]]);
  let frontier = [name];
  for (let distance = 1; distance <= hops; distance++) {
    const next: string[] = [];
    for (const callee of frontier)
      for (const caller of system.callers.get(callee) ?? [])
        if (!found.has(caller)) {
          found.set(caller, distance);
          next.push(caller);
        }
    frontier = next;
  }
  return [...found.entries()];
}

/** The kind of an entry. */
export function kindOf(system: VariantSystem, name: string): ServiceKind {
  const entry = system.entries.get(name);
  if (!entry) throw new Error(`aisre eval: no entry ${name}`);
  return entry.kind;
}
