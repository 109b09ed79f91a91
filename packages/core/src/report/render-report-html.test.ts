import { describe, expect, it } from 'vitest';
import type { Report } from '../contracts/report';
import { chartSeriesOf, renderEvidenceChart } from './evidence-chart';
import { renderReportHtml } from './render-report-html';
import { sampleReport } from './sample-report';

/** The sample report with the series its fragmentation check read kept on step 3. */
function reportWithSeries(): Report {
  const report = sampleReport();
  const step = report.steps.find((candidate) => candidate.id === 3);
  if (!step) throw new Error('sample report lost step 3');
  step.output = [
    {
      metric: 'redis_mem_fragmentation_ratio',
      entity: 'redis:shop/cache',
      labels: {},
      unit: 'ratio',
      points: [
        [1772409600000, 1.1],
        [1772411400000, 1.2],
        [1772413200000, null],
        [1772415000000, 1.42],
        [1772416800000, 1.89],
        [1772419200000, 1.95],
      ],
    },
  ];
  return report;
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(reportWithSeries());

  it('is one self-contained document with every section', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    for (const heading of [
      'Conclusion',
      'Ranked alternatives',
      'Evidence chain',
      'Paths explored and ruled out',
      'Could not check',
      'Budget',
      'Proposals',
      'Audited steps',
    ]) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).not.toMatch(/<script|<link|src=|href="http/);
  });

  it('states the root cause with its confidence', () => {
    expect(html).toContain('<b>Root cause: redis.memory-fragmentation on <code>redis:shop/cache</code></b>');
    expect(html).toContain('91%');
  });

  it('links every citation to its evidence and every evidence to its audited step', () => {
    const anchors = new Set([...html.matchAll(/ id="([a-z]+-\d+)"/g)].map((match) => match[1]));
    const links = [...html.matchAll(/href="#([a-z]+-\d+)"/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(anchors).toContain(link);
    for (const evidence of sampleReport().evidence) {
      expect(anchors).toContain(`evidence-${evidence.id}`);
      expect(html).toContain(`href="#step-${evidence.step}"`);
    }
  });

  it('charts the series a metric check read, breaking the line at missing values and marking the alert', () => {
    const charts = html.match(/<svg class="chart"[\s\S]*?<\/svg>/g) ?? [];
    expect(charts).toHaveLength(1);
    const path = charts[0]?.match(/<path d="([^"]+)"/)?.[1] ?? '';
    expect(path.match(/M/g)).toHaveLength(2);
    expect(charts[0]).toContain('>alert</text>');
    expect(html).toContain('redis_mem_fragmentation_ratio');
  });

  it("draws a step's chart once, under the first evidence citing it", () => {
    const report = reportWithSeries();
    const second = report.evidence[2];
    if (second) second.step = 3;
    const page = renderReportHtml(report);
    expect(page.match(/<svg class="chart"/g)).toHaveLength(1);
    expect(page).toContain('chart: see <a href="#evidence-1">[1]</a>');
  });

  it('shows report data as text, never as markup', () => {
    const report = reportWithSeries();
    const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    report.trigger.summary = hostile;
    report.trigger.labels.alertname = hostile;
    const first = report.evidence[0];
    if (first) first.summary = hostile;
    report.unchecked.push({ what: hostile, why: `"quoted" & 'single'` });
    const page = renderReportHtml(report);
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('&quot;quoted&quot; &amp; &#39;single&#39;');
  });

  it('renders the same report to the same page', () => {
    expect(renderReportHtml(reportWithSeries())).toBe(html);
  });

  it('says so when nothing was concluded', () => {
    const report = sampleReport();
    delete report.conclusion;
    report.ending = { kind: 'budget-exhausted', reason: 'the tool-call budget is spent' };
    const page = renderReportHtml(report);
    expect(page).toContain('<b>No root cause concluded.</b>');
    expect(page).toContain('Leading candidate: deploy.bad-release on service:shop/frontend');
  });
});

describe('evidence charts', () => {
  it('finds series only in outputs shaped like a metrics.range answer', () => {
    expect(chartSeriesOf(undefined)).toEqual([]);
    expect(chartSeriesOf({ points: [[1, 2]] })).toEqual([]);
    expect(chartSeriesOf([{ message: 'a log line' }])).toEqual([]);
    expect(chartSeriesOf([{ metric: 'm', labels: {}, points: [[1, 'x']] }])).toEqual([]);
    expect(chartSeriesOf([{ metric: 'm', labels: { db: 'db0' }, points: [[1, 2]] }])).toEqual([
      { name: 'm{db="db0"}', points: [[1, 2]] },
    ]);
    const many = Array.from({ length: 6 }, (_, index) => ({
      metric: `m${index}`,
      labels: {},
      points: [[1, index]],
    }));
    expect(chartSeriesOf(many)).toHaveLength(4);
  });

  it('draws nothing without values, and thins long series to a bounded size', () => {
    expect(renderEvidenceChart([{ name: 'empty', points: [[1, null]] }], undefined)).toBe('');
    const long = Array.from({ length: 10_000 }, (_, index): [number, number] => [
      index * 1000,
      Math.sin(index),
    ]);
    const chart = renderEvidenceChart([{ name: 'long', points: long }], undefined);
    const commands = chart.match(/[ML]\d/g) ?? [];
    expect(commands.length).toBeLessThanOrEqual(240);
    expect(chart).not.toContain('>alert</text>');
  });
});
