import { describe, expect, it } from 'vitest';
import { HypothesisBoard } from './hypothesis-board';

describe('HypothesisBoard', () => {
  it('tells evidence of a refined hypothesis apart from what it inherited from its parent', () => {
    const board = new HypothesisBoard(0.15, 0.05);
    const entity = 'service:shop/api' as const;
    board.add(
      {
        id: 'api#degraded',
        entity,
        fault: 'degraded',
        statement: 'api is degraded',
        prior: 0.8,
        generator: 'graph',
      },
      'test',
    );
    board.record('api#degraded', 'propagation', 4, 'its own slowdown', null, 1);
    expect(board.hasOwnEvidence('api#degraded')).toBe(true);
    const [child] = board.refine('api#degraded', [
      {
        id: 'api#slow',
        entity,
        fault: 'slow',
        statement: 'api is slow',
        generator: 'test',
        share: 1,
        reason: '',
      },
    ]);
    expect(board.citationsOf(child?.id ?? '')).toEqual([1]);
    expect(board.hasOwnEvidence('api#slow')).toBe(false);
    board.record('api#slow', 'metric', 2, 'latency up', null, 2);
    expect(board.hasOwnEvidence('api#slow')).toBe(true);
    expect(board.hasOwnEvidence('unknown')).toBe(false);
  });

  it('keeps a pruned hypothesis out of the competition but with the posterior its weight gives', () => {
    const board = new HypothesisBoard(0.15, 0.05);
    const add = (id: string, prior: number) =>
      board.add(
        { id, entity: `service:shop/${id}`, fault: 'degraded', statement: id, prior, generator: 'graph' },
        'test',
      );
    add('a', 0.4);
    add('b', 0.4);
    board.record('b', 'metric', 0.001, 'normal', null, 1);
    const before = board.get('b')?.posterior ?? 0;
    board.setStatus('b', 'pruned');
    board.record('a', 'metric', 1, 'nothing new', null, 2);
    expect(board.ranked().map((hypothesis) => hypothesis.id)).toEqual(['a']);
    expect(board.get('b')?.posterior).toBeGreaterThan(0);
    expect(board.get('b')?.posterior).toBeCloseTo(before, 5);
  });
});
