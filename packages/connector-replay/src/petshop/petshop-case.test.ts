import { describe, expect, it } from 'vitest';
import { parseWideCsv } from '../wide-csv';
import { buildPetShopCase } from './petshop-case';
import { parseCallGraphCsv } from './petshop-graph';
import { chooseTriggerTime } from './petshop-trigger';

const graph = parseCallGraphCsv(',Front,Back\nFront,0,1\nBack,0,0\n', 'graph.csv').value;
const table = parseWideCsv(
  [
    'microservice,Front,Back,Front,Back,Front,Back',
    'metric,latency,latency,requests,requests,availability,availability',
    'statistic,Average,Average,Sum,Sum,Average,Average',
    'unix_timestamp,,,,,,',
    '1000.0,0.1,0.05,300,600,100,100',
    '1300.0,0.1,0.05,300,600,100,100',
    '1600.0,0.4,0.35,300,600,90,95',
    '1900.0,0.2,0.15,300,0,99,',
    '2200.0,0.1,0.05,300,600,100,100',
  ].join('\n'),
  { file: 'metrics.csv' },
).value;

describe('buildPetShopCase', () => {
  const petShopCase = buildPetShopCase({
    id: 'low_traffic/test/issue_0',
    table,
    graph,
    target: { node: 'Front', metric: 'latency', statistic: 'Average' },
    file: 'metrics.csv',
    problems: [],
  });

  it('splits requests by availability into 2xx and 5xx rates that add up to the request rate', () => {
    const status = (entity: string, value: string) =>
      petShopCase.recording.series.find(
        (series) =>
          series.entity === entity &&
          series.metric === 'http_server_requests_total' &&
          series.labels.status === value,
      )?.points;
    expect(status('service:petshop/Front', '2xx')?.[2]).toEqual([1_600_000, 0.9]);
    expect(status('service:petshop/Front', '5xx')?.[2]?.[1]).toBeCloseTo(0.1, 9);
    expect(status('service:petshop/Back', '2xx')?.[3]).toEqual([1_900_000, 0]);
    expect(petShopCase.recording.series.some((series) => series.labels.status === 'all')).toBe(false);
  });

  it('makes up no call statistics: the dataset has none, the call graph is the topology', () => {
    expect(petShopCase.recording.calls).toBeUndefined();
    expect(petShopCase.recording.topology?.relations).toContainEqual({
      from: 'service:petshop/Front',
      to: 'service:petshop/Back',
      kind: 'calls',
      attributes: {},
    });
  });

  it('triggers on the most deviating row with two earlier rows, naming the series and its volume', () => {
    expect(petShopCase.asOf).toBe(1_600_000);
    expect(petShopCase.trigger.labels).toMatchObject({
      symptom_metric: 'http_server_request_duration_seconds',
      symptom_quantile: 'avg',
      symptom_direction: 'up',
      symptom_volume_metric: 'http_server_requests_total',
    });
  });
});

describe('chooseTriggerTime', () => {
  it('judges rows with at least two earlier values by default', () => {
    const points: [number, number][] = [
      [0, 1],
      [1, 1.02],
      [2, 3],
      [3, 1],
    ];
    expect(chooseTriggerTime(points, 'up')).toBe(2);
    expect(chooseTriggerTime(points, 'up', 3)).toBe(3);
  });
});
