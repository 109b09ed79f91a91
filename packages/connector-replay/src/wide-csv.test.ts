import { InvalidInputError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { parseMetricCsv } from './metric-csv';
import { parseRecordingJson } from './recording-json';
import { parseWideCsv } from './wide-csv';

const header =
  'microservice,A,A,B\nmetric,latency,requests,latency\nstatistic,p99,Sum,p99\nunix_timestamp,,,\n';

describe('parseWideCsv', () => {
  it('reads header attributes, Unix-second timestamps and empty cells as missing values', () => {
    const { value, problems } = parseWideCsv(`${header}1000.0,0.5,10,\n1300.0,,12,0.25\n`, { file: 'm.csv' });
    expect(problems).toEqual([]);
    expect(value.headerNames).toEqual(['microservice', 'metric', 'statistic']);
    expect(value.columns.map((column) => column.header)).toEqual([
      { microservice: 'A', metric: 'latency', statistic: 'p99' },
      { microservice: 'A', metric: 'requests', statistic: 'Sum' },
      { microservice: 'B', metric: 'latency', statistic: 'p99' },
    ]);
    expect(value.columns[0]?.points).toEqual([
      [1_000_000, 0.5],
      [1_300_000, null],
    ]);
    expect(value.columns[2]?.points).toEqual([
      [1_000_000, null],
      [1_300_000, 0.25],
    ]);
  });

  it('aligns files with different column sets on the header attributes, not on positions', () => {
    const other = 'microservice,B,A\nmetric,latency,latency\nstatistic,p99,p99\n1000,0.7,0.1\n';
    const first = parseWideCsv(`${header}1000,0.5,10,0.2\n`, { file: 'a.csv' }).value;
    const second = parseWideCsv(other, { file: 'b.csv' }).value;
    const find = (table: typeof first, component: string) =>
      table.columns.find(
        (column) => column.header.microservice === component && column.header.metric === 'latency',
      );
    expect(find(first, 'B')?.points[0]?.[1]).toBe(0.2);
    expect(find(second, 'B')?.points[0]?.[1]).toBe(0.7);
    expect(find(second, 'A')?.points[0]?.[1]).toBe(0.1);
  });

  it('turns bad rows and cells into typed errors naming the file, line and column, and loads the rest', () => {
    const text = `${header}1000,0.5,10,0.2\nyesterday,0.6,11,0.3\n1600,fast,12,0.4,99\n`;
    const { value, problems } = parseWideCsv(text, { file: 'm.csv' });
    expect(problems.every((problem) => InvalidInputError.isInstance(problem))).toBe(true);
    const messages = problems.map((problem) => problem.message);
    expect(messages.some((message) => /m\.csv: line 6: timestamp "yesterday"/.test(message))).toBe(true);
    expect(
      messages.some((message) => /m\.csv: line 7, column 2 .*"fast" is not a number/.test(message)),
    ).toBe(true);
    expect(messages.some((message) => /m\.csv: line 7: 4 values for 3 columns/.test(message))).toBe(true);
    expect(value.columns[0]?.points).toEqual([
      [1_000_000, 0.5],
      [1_600_000, null],
    ]);
    expect(value.columns[2]?.points.map(([, point]) => point)).toEqual([0.2, 0.4]);
  });

  it('skips a repeated column with a typed error', () => {
    const text = 'microservice,A,A\nmetric,latency,latency\nstatistic,p99,p99\n1000,1,2\n';
    const { value, problems } = parseWideCsv(text, { file: 'd.csv' });
    expect(value.columns).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/d\.csv: column 3 repeats column 2/);
  });
});

describe('parseMetricCsv', () => {
  it('groups rows into series by entity, metric and labels; bad rows are typed errors naming the line', () => {
    const text = [
      'timestamp,entity,metric,quantile,value,unit',
      '2026-03-02T01:00:00Z,service:shop/cart,latency_seconds,0.99,0.2,seconds',
      '2026-03-02T01:01:00Z,service:shop/cart,latency_seconds,0.99,,seconds',
      '2026-03-02T01:02:00Z,not a ref,latency_seconds,0.99,0.3,seconds',
      '2026-03-02T01:03:00Z,service:shop/cart,latency_seconds,0.99,slow,seconds',
      '1772413440,service:shop/cart,latency_seconds,0.5,0.1,seconds',
    ].join('\n');
    const { value, problems } = parseMetricCsv(text, 'long.csv');
    expect(value).toHaveLength(2);
    expect(value[0]).toMatchObject({
      entity: 'service:shop/cart',
      labels: { quantile: '0.99' },
      unit: 'seconds',
    });
    expect(value[0]?.points).toEqual([
      [Date.parse('2026-03-02T01:00:00Z'), 0.2],
      [Date.parse('2026-03-02T01:01:00Z'), null],
    ]);
    expect(problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/long\.csv: line 4: entity "not a ref"/),
      expect.stringMatching(/long\.csv: line 5: value "slow" is not a number/),
    ]);
    expect(problems[0]?.issues[0]?.path).toEqual(['long.csv', 4, 'entity']);
  });
});

describe('parseRecordingJson', () => {
  it('validates each item on its own: a bad one is a typed error naming section, index and field', () => {
    const text = JSON.stringify({
      series: [
        {
          metric: 'up',
          entity: 'service:shop/cart',
          points: [
            [1000, 1],
            [1060, null],
          ],
        },
        { metric: 'up', entity: 'bad', points: [] },
      ],
      changes: [
        {
          id: 'd1',
          entity: 'service:shop/cart',
          kind: 'deploy',
          at: '2026-03-02T01:00:00Z',
          summary: 'v2',
          attributes: {},
        },
      ],
      topology: {
        entities: [{ ref: 'service:shop/cart' }],
        relations: [{ from: 'service:shop/cart', to: 'x', kind: 'calls' }],
      },
    });
    const { value, problems } = parseRecordingJson(text, 'rec.json');
    expect(value.series).toHaveLength(1);
    expect(value.series[0]?.points).toEqual([
      [1_000_000, 1],
      [1_060_000, null],
    ]);
    expect(value.changes).toHaveLength(1);
    expect(value.topology?.entities).toHaveLength(1);
    expect(value.topology?.relations).toHaveLength(0);
    expect(problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/rec\.json: series\[1\] is invalid: series\[1\]\.entity/),
      expect.stringMatching(/rec\.json: topology\.relations\[0\] is invalid/),
    ]);
  });

  it('reports JSON that does not parse without throwing', () => {
    const { value, problems } = parseRecordingJson('{', 'broken.json');
    expect(value.series).toEqual([]);
    expect(problems[0]?.message).toMatch(/broken\.json: not JSON/);
  });
});
