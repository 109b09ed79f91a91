import type { FailurePattern } from '@aisre/core';
import { petShopEntityKinds } from './petshop-components';
import { availabilityMetric, latencyMetric, requestsMetric } from './petshop-metrics';

const kinds = [...petShopEntityKinds];

/**
 * Generic fault signatures for the series the PetShop mapping serves, to pass to the engine through
 * `InvestigatorOptions.patterns` (the documented extension point): a component whose own latency rose, and
 * one whose own requests started failing. Nothing here names a PetShop component.
 */
export const petShopPatterns: readonly FailurePattern[] = [
  {
    fault: 'latency.degradation',
    entityKinds: kinds,
    title: 'Latency degradation',
    statement: '{entity} answers slowly and slows its callers down',
    baseRate: 1,
    onset: 'abrupt',
    metrics: [
      {
        metric: latencyMetric,
        labels: { quantile: 'avg' },
        kinds,
        on: 'self',
        direction: 'up',
        expect: 'present',
        sensitivity: 0.9,
        specificity: 0.85,
      },
      {
        metric: latencyMetric,
        labels: { quantile: '0.99' },
        kinds,
        on: 'self',
        direction: 'up',
        expect: 'present',
        sensitivity: 0.7,
        specificity: 0.7,
      },
    ],
  },
  {
    fault: 'availability.drop',
    entityKinds: kinds,
    title: 'Availability drop',
    statement: '{entity} fails a share of its requests and its callers see the failures',
    baseRate: 1,
    onset: 'abrupt',
    metrics: [
      {
        metric: requestsMetric,
        labels: { status: '5xx' },
        kinds,
        on: 'self',
        direction: 'up',
        expect: 'present',
        sensitivity: 0.9,
        specificity: 0.9,
        relativeFloor: 0.2,
        aggregate: 'peak',
      },
      {
        metric: availabilityMetric,
        kinds,
        on: 'self',
        direction: 'down',
        expect: 'present',
        sensitivity: 0.8,
        specificity: 0.9,
        relativeFloor: 0.005,
      },
    ],
  },
];
