import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidInputError } from '../errors/aisre-error';
import {
  parseStructuredReply,
  readJsonFromText,
  repairFeedback,
  validateStructuredReply,
} from './structured-reply';

const verdict = z.object({ rootCause: z.string(), confidence: z.number().min(0).max(1) });

describe('readJsonFromText', () => {
  it('reads plain JSON, fenced JSON and JSON inside prose', () => {
    expect(readJsonFromText('{"a":1}')).toEqual({ a: 1 });
    expect(readJsonFromText('Here:\n```json\n{"a":2}\n```')).toEqual({ a: 2 });
    expect(readJsonFromText('The answer is {"a":3}. Done.')).toEqual({ a: 3 });
    expect(readJsonFromText('[1,2]')).toEqual([1, 2]);
    expect(readJsonFromText('no json here')).toBeUndefined();
  });
});

describe('validateStructuredReply', () => {
  it('accepts a matching reply, text or parsed', () => {
    expect(validateStructuredReply('{"rootCause":"db","confidence":0.9}', verdict)).toEqual({
      success: true,
      value: { rootCause: 'db', confidence: 0.9 },
    });
    expect(
      validateStructuredReply({ value: { rootCause: 'db', confidence: 1 } }, verdict, true),
    ).toMatchObject({
      success: true,
    });
  });

  it('names the offending fields', () => {
    const result = validateStructuredReply('{"rootCause":"db","confidence":3}', verdict);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.issues[0]?.path).toEqual(['confidence']);
    expect(validateStructuredReply('not json', verdict)).toMatchObject({
      success: false,
      issues: [{ path: [], message: 'the reply is not JSON' }],
    });
    expect(validateStructuredReply(undefined, verdict)).toMatchObject({ success: false });
  });
});

describe('parseStructuredReply', () => {
  it('returns the first reply when it matches, without repairing', async () => {
    const result = await parseStructuredReply({
      module: 'llm-test',
      schemaName: 'verdict',
      schema: verdict,
      reply: '{"rootCause":"db","confidence":0.5}',
      extract: (reply) => reply,
      repair: async () => {
        throw new Error('not expected');
      },
    });
    expect(result).toEqual({
      object: { rootCause: 'db', confidence: 0.5 },
      reply: '{"rootCause":"db","confidence":0.5}',
      repaired: false,
    });
  });

  it('sends the validation error back once and accepts the repaired reply', async () => {
    const feedbacks: string[] = [];
    const result = await parseStructuredReply({
      module: 'llm-test',
      schemaName: 'verdict',
      schema: verdict,
      reply: '{"rootCause":"db"}',
      extract: (reply) => reply,
      repair: async (feedback) => {
        feedbacks.push(feedback);
        return '{"rootCause":"db","confidence":0.7}';
      },
    });
    expect(result.repaired).toBe(true);
    expect(result.object.confidence).toBe(0.7);
    expect(feedbacks).toHaveLength(1);
    expect(feedbacks[0]).toContain('does not match the JSON schema "verdict": confidence:');
  });

  it('throws an InvalidInputError with the issues when the repair fails too', async () => {
    let repairs = 0;
    const attempt = parseStructuredReply({
      module: 'llm-test',
      schemaName: 'verdict',
      schema: verdict,
      reply: 'nope',
      extract: (reply) => reply,
      repair: async () => {
        repairs += 1;
        return '{"rootCause":1,"confidence":0.2}';
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toThrow(
      /^llm-test: the model's reply does not match the schema "verdict" even after one repair attempt: rootCause:/,
    );
    expect(repairs).toBe(1);
  });

  it('words the feedback for the model', () => {
    expect(repairFeedback('verdict', [{ path: ['a', 0], message: 'Required' }])).toBe(
      'Your reply does not match the JSON schema "verdict": a[0]: Required. Reply again with the corrected JSON only, matching the schema exactly.',
    );
  });
});
