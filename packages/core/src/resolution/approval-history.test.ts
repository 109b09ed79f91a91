import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/aisre-error';
import { type ApprovalEntry, createInMemoryApprovalHistory } from './approval-history';
import { createFileApprovalHistory } from './approval-history-file';

const entry = (environment: string, actionType: string): ApprovalEntry => ({
  environment,
  actionType,
  target: 'redis:shop/cache',
  proposal: `rem-${actionType}`,
  approver: 'alice',
  at: '2026-03-02T03:10:00.000Z',
});

describe('createInMemoryApprovalHistory', () => {
  it('answers per environment and action type', async () => {
    const history = createInMemoryApprovalHistory([entry('development', 'redis.config-set')]);
    expect(await history.wasApproved('development', 'redis.config-set')).toBe(true);
    expect(await history.wasApproved('staging', 'redis.config-set')).toBe(false);
    await history.record(entry('staging', 'deployment.scale'));
    expect(await history.wasApproved('staging', 'deployment.scale')).toBe(true);
    expect(await history.list('staging')).toEqual([entry('staging', 'deployment.scale')]);
    expect(await history.list()).toHaveLength(2);
  });
});

describe('createFileApprovalHistory', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'aisre-approvals-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('starts empty without a file, persists records atomically, and reads what another instance wrote', async () => {
    const path = join(directory, 'approvals.json');
    const history = createFileApprovalHistory({ path });
    expect(await history.wasApproved('development', 'redis.config-set')).toBe(false);
    await Promise.all([
      history.record(entry('development', 'redis.config-set')),
      history.record(entry('development', 'deployment.rollback')),
    ]);
    const other = createFileApprovalHistory({ path });
    expect(await other.wasApproved('development', 'redis.config-set')).toBe(true);
    expect((await other.list()).map((approval) => approval.actionType)).toEqual([
      'redis.config-set',
      'deployment.rollback',
    ]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ version: 1 });
  });

  it('reports a malformed file with a typed error naming the file and the field', async () => {
    const path = join(directory, 'approvals.json');
    await writeFile(
      path,
      JSON.stringify({ version: 1, approvals: [{ ...entry('a', 'b.c'), at: 'yesterday' }] }),
    );
    const error = await createFileApprovalHistory({ path })
      .wasApproved('a', 'b.c')
      .catch((caught: unknown) => caught);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as InvalidInputError).issues[0]?.path).toEqual(['approvals', 0, 'at']);
    expect((error as Error).message).toContain(path);
    await writeFile(path, '{ not json');
    await expect(createFileApprovalHistory({ path }).list()).rejects.toThrow(/not valid JSON/);
  });
});
