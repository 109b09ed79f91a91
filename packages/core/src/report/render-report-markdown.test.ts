import { describe, expect, it } from 'vitest';
import { renderReportMarkdown } from './render-report-markdown';
import { sampleReport } from './sample-report';

describe('renderReportMarkdown', () => {
  const markdown = renderReportMarkdown(sampleReport());

  it('has every section', () => {
    for (const heading of [
      '# Investigation: RedisLatencyHigh on redis:shop/cache',
      '## Conclusion',
      '## Ranked alternatives',
      '## Evidence chain',
      '## Paths explored and ruled out',
      '## Could not check',
      '## Budget',
      '## Proposals',
    ]) {
      expect(markdown).toContain(heading);
    }
  });

  it('states the root cause with its confidence as a percentage', () => {
    expect(markdown).toContain(
      '**Root cause: redis.memory-fragmentation on `redis:shop/cache`**, confidence 91%.',
    );
    expect(markdown).toContain('slows every command. [1][3]');
  });

  it('ranks the alternatives in a table, tiny confidences as <1%', () => {
    expect(markdown).toContain('| 1 | service:shop/frontend | deploy.bad-release | 5% | [2] |');
    expect(markdown).toContain('| 2 | redis:shop/cache | redis.evictions | <1% | – |');
  });

  it('numbers the evidence and points every citation at its step with an excerpt', () => {
    const report = sampleReport();
    const citationLines = markdown.split('\n').filter((line) => /^\s+\[\d+\] → /.test(line));
    expect(citationLines).toHaveLength(report.evidence.length);
    for (const evidence of report.evidence) {
      const line = citationLines.find((candidate) => candidate.trim().startsWith(`[${evidence.id}] → `));
      const step = report.steps.find((candidate) => candidate.id === evidence.step);
      expect(step, `evidence ${evidence.id} cites a step that exists`).toBeDefined();
      expect(line).toContain(step?.tool);
      expect(line).toContain(`(step ${evidence.step}`);
    }
    expect(markdown).toContain(
      '[1] → metrics.range redis_mem_fragmentation_ratio on redis:shop/cache: 1.1 → 1.89 (step 3)',
    );
    expect(markdown).toContain('[3] → tool:redis_info on redis:shop/cache: 0.0012 → 0.0234 (step 4)');
    expect(markdown).toContain('failed: connector-mock: logs.search timed out after 20 s');
    expect(markdown).toContain(
      '1. **supports** redis.memory-fragmentation on redis:shop/cache (weight +1.39): Fragmentation ratio rose',
    );
  });

  it('lists the paths explored and ruled out, what could not be checked, the budget and proposals', () => {
    expect(markdown).toContain('| service:shop/frontend | deploy.bad-release | refuted | 5% |');
    expect(markdown).toContain('3 explored, 2 ruled out.');
    expect(markdown).toContain(
      '- Redis eviction logs of redis:shop/cache: the log search timed out (step 2)',
    );
    expect(markdown).toContain(
      '- traces of service:shop/recommendation: no connector has the traces capability',
    );
    expect(markdown).toContain('| tool calls | 4 | 50 | 8% |');
    expect(markdown).toContain('| wall time | 12.5 s | 3 min | 7% |');
    expect(markdown).toContain(
      '1. **Enable active defragmentation** (risk low, for redis.memory-fragmentation)',
    );
    expect(markdown).toContain(
      '`redis.config-set` on `redis:shop/cache` (parameter=activedefrag, value=yes)',
    );
  });

  it('says how the run ended and why when nothing was concluded', () => {
    const report = sampleReport();
    delete report.conclusion;
    report.ending = { kind: 'budget-exhausted', reason: 'the tool-call budget (50) is spent' };
    report.proposals = [];
    const text = renderReportMarkdown(report);
    expect(text).toContain(
      '**No root cause concluded.** The investigation ended budget-exhausted: the tool-call budget (50) is spent',
    );
    expect(text).toContain('Leading candidate: deploy.bad-release on service:shop/frontend at 5% [2]');
    expect(text).not.toContain('## Proposals');
  });

  it('keeps pipes in free text from breaking tables', () => {
    const report = sampleReport();
    const first = report.explored[0];
    if (first) first.reason = 'a | b';
    expect(renderReportMarkdown(report)).toContain('a \\| b');
  });

  it('renders the same report the same way', () => {
    expect(renderReportMarkdown(sampleReport())).toBe(markdown);
  });
});
