import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './main';

async function run(argv: string[], input?: Readable) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTTY: false,
    now: () => 0,
    ...(input ? { input } : {}),
  });
  return { code, stdout, stderr };
}

describe('aisre story', () => {
  it('tells the redis-3am story end to end with an approval', async () => {
    const { code, stdout } = await run(['story', '--scenario', 'redis-3am', '--approve']);
    expect(code).toBe(0);
    expect(stdout).toContain('Triage: **escalate**');
    expect(stdout).toContain('redis.memory-fragmentation on redis:shop/recommendation-cache');
    expect(stdout).toMatch(/5\. Applied: .*activedefrag/);
    expect(stdout).toMatch(/6\. Verification after 30 min: improved/);
    expect(stdout).toContain('does not show the change caused it');
    const first = Number(/first time: (\d+)/.exec(stdout)?.[1]);
    const again = Number(/again: .* in (\d+) tool calls/.exec(stdout)?.[1]);
    expect(again).toBeLessThan(first);
  });

  it('asks at the terminal with --ask: a yes applies the change, a no or no answer applies nothing', async () => {
    const yes = await run(['story', '--scenario', 'redis-3am', '--ask'], Readable.from(['y\n']));
    expect(yes.code).toBe(0);
    expect(yes.stderr).toContain('Approval needed in development');
    expect(yes.stderr).toMatch(
      /change: {3}redis\.config-set on redis:shop\/recommendation-cache \(parameter=activedefrag, value=yes\)/,
    );
    expect(yes.stderr).toContain('Apply this change? [y/N]');
    expect(yes.stdout).toMatch(/5\. Applied: .*activedefrag/);
    for (const answer of ['n\n', '']) {
      const refused = await run(['story', '--scenario', 'redis-3am', '--ask'], Readable.from([answer]));
      expect(refused.code).toBe(0);
      expect(refused.stdout).not.toContain('5. Applied');
      expect(refused.stdout).toContain('Nothing was applied');
    }
  });

  it('refuses --ask with --approve, and --ask without an input', async () => {
    const both = await run(['story', '--ask', '--approve'], Readable.from([]));
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('choose one of --ask and --approve');
    const none = await run(['story', '--ask']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--ask needs a standard input');
  });

  it('applies nothing without an approval', async () => {
    const { code, stdout } = await run(['story', '--scenario', 'redis-3am']);
    expect(code).toBe(0);
    expect(stdout).toContain('Nothing was applied');
    expect(stdout).not.toContain('5. Applied');
  });

  it('applies a staging change only when the approver holds the role the policy names', async () => {
    const staging = ['story', '--scenario', 'login-failure', '--environment', 'staging', '--approve'];
    const withoutRole = await run(staging);
    expect(withoutRole.stdout).toContain('→ denied');
    expect(withoutRole.stdout).toContain('the policy asks for team-lead (run with --role');
    expect(withoutRole.stdout).not.toContain('5. Applied');
    const asLead = await run([...staging, '--role', 'developer,team-lead']);
    expect(asLead.stdout).toMatch(/5\. Applied: .*max_connections/);
  });

  it('asks in production even when approvals are given, and never applies unasked', async () => {
    const { stdout } = await run(['story', '--scenario', 'login-failure', '--environment', 'production']);
    expect(stdout).not.toContain('5. Applied');
  });
});
