import { describe, expect, it } from 'vitest';
import type { Report } from '../contracts/report';
import { parseReport } from './parse-report';
import { renderReportJson } from './render-report-json';
import { sampleReport } from './sample-report';

function shuffleKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shuffleKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).reverse();
  return Object.fromEntries(entries.map(([key, inner]) => [key, shuffleKeys(inner)]));
}

describe('renderReportJson', () => {
  it('indents with two spaces and puts the contract fields in their declared order', () => {
    const json = renderReportJson(sampleReport());
    expect(json.startsWith('{\n  "version": 1,\n  "id": "inv-redis-3am",\n  "trigger": {\n    "id":')).toBe(
      true,
    );
    const topLevel = Object.keys(JSON.parse(json) as object);
    expect(topLevel).toEqual([
      'version',
      'id',
      'trigger',
      'startedAt',
      'endedAt',
      'ending',
      'conclusion',
      'alternatives',
      'unknownRemainder',
      'evidence',
      'steps',
      'explored',
      'unchecked',
      'budget',
      'proposals',
    ]);
  });

  it('does not depend on the key order of its input', () => {
    const shuffled = shuffleKeys(sampleReport()) as Report;
    expect(renderReportJson(shuffled)).toBe(renderReportJson(sampleReport()));
  });

  it('sorts the keys of free-form maps', () => {
    const parsed = JSON.parse(renderReportJson(sampleReport())) as { trigger: { labels: object } };
    expect(Object.keys(parsed.trigger.labels)).toEqual(['alertname', 'severity']);
  });

  it('round-trips through parseReport', () => {
    const report = sampleReport();
    expect(parseReport(renderReportJson(report))).toEqual(report);
  });
});
