import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidInputError } from '../errors/aisre-error';
import { createManualClock } from '../runtime/call-context';
import { createAwareness } from './awareness';
import { alert, createAwarenessTestSystem, hour, refs, threeAm } from './awareness-test-system.fixture';
import { createFileTriageStore } from './file-triage-store';
import { createMemoryTriageStore } from './memory-triage-store';
import type { Awareness, FeedbackOutcome, TriageStore } from './types';

const quiet = { memory: 'flat', corroboration: false } as const;

function awarenessOn(store: TriageStore): Awareness {
  return createAwareness({
    connectors: [createAwarenessTestSystem(quiet)],
    clock: createManualClock(threeAm),
    store,
  });
}

/** Ingests the RedisLatencyHigh alert firing at `atMs` (a new occurrence each hour) and triages it. */
async function occurrence(awareness: Awareness, atMs: number) {
  const ingested = await awareness.ingest(alert(refs.cache, 'RedisLatencyHigh', { atMs }));
  if (ingested.status !== 'accepted') throw new Error(`expected a new occurrence, got ${ingested.status}`);
  return awareness.triage(ingested.situation.id);
}

async function markEach(awareness: Awareness, outcome: FeedbackOutcome, times: number) {
  for (let index = 0; index < times; index++) {
    const triage = await occurrence(awareness, threeAm - (times - index) * hour);
    expect(triage.decision).not.toBe('ignore');
    await awareness.feedback(triage.situation, outcome);
  }
}

describe('learning from feedback', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'aisre-awareness-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('suppresses a pattern marked noise three times, and the lesson survives a restart', async () => {
    const path = join(folder, 'triage.json');
    const first = awarenessOn(createFileTriageStore({ path }));
    const recorded = vi.fn();
    first.events.on('feedback:recorded', recorded);
    await markEach(first, 'noise', 3);
    expect(recorded).toHaveBeenCalledTimes(3);
    const now = await occurrence(first, threeAm);
    expect(now.decision).toBe('ignore');
    expect(now.reasons.find((reason) => reason.factor === 'feedback')).toMatchObject({ weight: -0.2 });

    const restarted = awarenessOn(createFileTriageStore({ path }));
    const afterRestart = await occurrence(restarted, threeAm);
    expect(afterRestart.decision).toBe('ignore');
    expect(afterRestart.reasons.find((reason) => reason.factor === 'feedback')?.detail).toContain(
      'marked noise 3 times and never useful',
    );
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved.patterns['RedisLatencyHigh|redis|redis:shop/recommendation-cache']).toMatchObject({
      noise: 3,
      useful: 0,
      missed: 0,
    });
    expect(saved.patterns['RedisLatencyHigh|redis']).toMatchObject({ noise: 3 });
  });

  it('lowers the thresholds of a pattern that was missed', async () => {
    const awareness = awarenessOn(createMemoryTriageStore());
    const before = await occurrence(awareness, threeAm - 3 * hour);
    expect(before.decision).toBe('watch');
    await awareness.feedback(before.situation, 'missed');
    const second = await occurrence(awareness, threeAm - 2 * hour);
    await awareness.feedback(second.situation, 'missed');
    const after = await occurrence(awareness, threeAm);
    expect(after.decision).toBe('investigate');
    expect(after.score).toBe(before.score);
    expect(after.thresholds.investigate).toBeCloseTo(before.thresholds.investigate - 0.2, 5);
  });

  it('counts one outcome per situation: changing it replaces the earlier one', async () => {
    const store = createMemoryTriageStore();
    const awareness = awarenessOn(store);
    const triage = await occurrence(awareness, threeAm);
    await awareness.feedback(triage.situation, 'noise');
    await awareness.feedback(triage.situation, 'noise');
    const changed = await awareness.feedback(triage.situation, 'useful');
    expect(changed.find((stats) => stats.entity === refs.cache)).toMatchObject({ noise: 0, useful: 1 });
    const useful = await occurrence(awareness, threeAm + hour);
    expect(useful.reasons.find((reason) => reason.factor === 'feedback')).toMatchObject({ weight: 0.05 });
  });

  it('accepts feedback on a situation triaged before a restart, and rejects bad feedback', async () => {
    const path = join(folder, 'nested', 'triage.json');
    const first = awarenessOn(createFileTriageStore({ path }));
    const triage = await occurrence(first, threeAm);
    const restarted = awarenessOn(createFileTriageStore({ path }));
    const changed = await restarted.feedback(triage.situation, 'noise');
    expect(changed.map((stats) => stats.key).sort()).toEqual([
      'RedisLatencyHigh|redis',
      'RedisLatencyHigh|redis|redis:shop/recommendation-cache',
    ]);
    await expect(restarted.feedback('sit-unknown', 'noise')).rejects.toMatchObject({ code: 'not-found' });
    await expect(restarted.feedback(triage.situation, 'meh' as FeedbackOutcome)).rejects.toSatisfy((error) =>
      InvalidInputError.isInstance(error),
    );
  });

  it('reports a corrupt store file as invalid input naming the file', async () => {
    const path = join(folder, 'triage.json');
    await writeFile(path, '{"version":1,"patterns":{"x":{"noise":"many"}},"situations":{}}');
    const store = createFileTriageStore({ path });
    await expect(store.listPatterns()).rejects.toSatisfy(
      (error) => InvalidInputError.isInstance(error) && error.message.includes(path),
    );
    await writeFile(path, 'not json');
    await expect(createFileTriageStore({ path }).readPattern('x')).rejects.toSatisfy(
      (error) => InvalidInputError.isInstance(error) && /not JSON/.test(error.message),
    );
  });
});
