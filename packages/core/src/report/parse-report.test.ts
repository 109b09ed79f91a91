import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/aisre-error';
import { parseReport } from './parse-report';
import { sampleReport } from './sample-report';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseReport', () => {
  it('accepts a valid report, as a value or as JSON text', () => {
    const report = sampleReport();
    expect(parseReport(report)).toEqual(report);
    expect(parseReport(JSON.stringify(report))).toEqual(report);
  });

  it('rejects a broken report with an InvalidInputError naming the field', () => {
    const broken = JSON.parse(JSON.stringify(sampleReport())) as { evidence: { step: unknown }[] };
    const first = broken.evidence[0];
    if (first) first.step = 'three';
    const error = caught(() => parseReport(broken));
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as InvalidInputError).message).toMatch(/^core: report is invalid: evidence\[0\]\.step: /);
    expect((error as InvalidInputError).issues[0]?.path).toEqual(['evidence', 0, 'step']);
  });

  it('rejects a report of the wrong version and a missing ending', () => {
    const { ending: _ending, ...rest } = { ...sampleReport(), version: 2 };
    const error = caught(() => parseReport(rest));
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('version');
    expect((error as Error).message).toContain('ending');
  });

  it('rejects text that is not JSON', () => {
    const error = caught(() => parseReport('{"version": 1,'));
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^core: report is not valid JSON/);
  });
});
