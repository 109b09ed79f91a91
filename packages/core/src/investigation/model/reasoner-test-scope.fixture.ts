// A small scope for the model reasoner's tests: the shop of the `redis-3am` scenario, as the engine would
// scope its Redis latency alert. Not exported.
import type { EntityRef } from '../../contracts/entity-ref';
import type { Hypothesis } from '../../contracts/hypothesis';
import type { GenerateRequest, GenerateResult, LanguageModel } from '../../contracts/language-model';
import type { Signal } from '../../contracts/signal';
import type { ChangeEvent } from '../../contracts/telemetry';
import { builtInFailurePatterns } from '../failure-patterns';
import type { InvestigationScope } from '../hypothesis-generators';
import type { ModelCaller, ModelPurpose } from '../model-reasoning';
import { SystemMap } from '../system-map';

export const shop = {
  frontend: 'service:shop/frontend',
  recommendation: 'service:shop/recommendation',
  cart: 'service:shop/cart',
  cache: 'redis:shop/recommendation-cache',
  database: 'postgres:shop/cart-db',
  backup: 'cronjob:shop/cache-backup',
} as const satisfies Record<string, EntityRef>;

export interface ScopeOverrides {
  triggerSummary?: string;
  changes?: ChangeEvent[];
  reverseInsertion?: boolean;
}

export function createShopScope(overrides: ScopeOverrides = {}): InvestigationScope {
  const map = new SystemMap();
  const relations: [EntityRef, EntityRef][] = [
    [shop.frontend, shop.recommendation],
    [shop.frontend, shop.cart],
    [shop.recommendation, shop.cache],
    [shop.cart, shop.database],
    [shop.backup, shop.cache],
  ];
  for (const [from, to] of overrides.reverseInsertion ? [...relations].reverse() : relations) {
    map.addDependency(from, to);
  }
  const trigger: Signal = {
    id: 'alert-1',
    source: 'alertmanager',
    kind: 'alert',
    entity: shop.recommendation,
    severity: 'P3',
    at: '2026-03-02T02:40:00Z',
    summary: overrides.triggerSummary ?? 'RecommendationLatencyHigh: p99 above 500 ms for 10 minutes',
    labels: { team: 'discovery', alertname: 'RecommendationLatencyHigh' },
    payload: {},
  };
  return {
    trigger,
    asOf: Date.parse(trigger.at),
    map,
    reach: map.causalReach(shop.recommendation, 3),
    changes: overrides.changes ?? [
      {
        id: 'deploy-1',
        entity: shop.frontend,
        kind: 'deploy',
        at: '2026-03-02T02:10:00Z',
        summary: 'frontend v42 rolled out',
        attributes: {},
      },
      {
        id: 'job-1',
        entity: shop.backup,
        kind: 'job-run',
        at: '2026-03-02T02:00:00Z',
        endedAt: '2026-03-02T02:30:00Z',
        summary: 'cache-backup run',
        attributes: {},
      },
    ],
    patterns: builtInFailurePatterns,
    pastIncidents: [],
  };
}

export function cacheHypothesis(overrides: Partial<Hypothesis> = {}): Hypothesis {
  return {
    id: `${shop.cache}#redis.memory-fragmentation`,
    entity: shop.cache,
    fault: 'redis.memory-fragmentation',
    statement: `${shop.cache} is slowed by memory fragmentation: RSS far above the data set`,
    prior: 0.2,
    posterior: 0.35,
    status: 'testing',
    generator: 'failure-patterns',
    ...overrides,
  };
}

export interface RecordingCaller {
  call: ModelCaller;
  purposes: { purpose: ModelPurpose; hypothesis?: string }[];
}

/** A caller as the engine's would behave: a failed call resolves `undefined`. */
export function callerFor(model: LanguageModel): RecordingCaller {
  const purposes: RecordingCaller['purposes'] = [];
  const call: ModelCaller = async <Output>(
    request: Omit<GenerateRequest<Output>, 'signal'>,
    options: { purpose: ModelPurpose; hypothesis?: string },
  ): Promise<GenerateResult<Output> | undefined> => {
    purposes.push(options);
    try {
      return await model.generate(request);
    } catch {
      return undefined;
    }
  };
  return { call, purposes };
}
