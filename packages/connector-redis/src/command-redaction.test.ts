import { describe, expect, it } from 'vitest';
import { redactCommand } from './command-redaction';

describe('redactCommand', () => {
  it('shows only argument sizes by default', () => {
    expect(redactCommand(['SET', 'session:alice@example.com', 'token-7f3a9c2e41d8'], 'redacted')).toEqual({
      command: 'set',
      text: 'SET ‹25 bytes› ‹18 bytes›',
      argumentCount: 2,
    });
  });

  it('cuts arguments to 32 characters when asked to', () => {
    expect(redactCommand(['KEYS', '*'], 'truncated').text).toBe('KEYS "*"');
    expect(redactCommand(['GET', 'x'.repeat(40)], 'truncated').text).toBe(`GET "${'x'.repeat(32)}…(40)"`);
  });

  it('never shows the arguments of commands that carry credentials, in any mode', () => {
    for (const parts of [
      ['AUTH', 'hunter2'],
      ['AUTH', 'admin', 'hunter2'],
      ['HELLO', '3', 'AUTH', 'default', 'hunter2'],
      ['CONFIG', 'SET', 'requirepass', 'hunter2'],
      ['config', 'set', 'masterauth', 'hunter2'],
      ['ACL', 'SETUSER', 'app', 'on', '>hunter2'],
      ['MIGRATE', 'host', '6379', 'key', '0', '5000', 'AUTH', 'hunter2'],
    ]) {
      const shown = redactCommand(parts, 'truncated');
      expect(shown.text, parts.join(' ')).not.toContain('hunter2');
      expect(shown.text).toMatch(/redacted›$/);
    }
    expect(redactCommand(['CONFIG', 'SET', 'requirepass', 'hunter2'], 'truncated')).toMatchObject({
      command: 'config|set',
      text: 'CONFIG SET ‹2 arguments redacted›',
    });
  });

  it('names subcommands and keeps the note of arguments Redis dropped', () => {
    expect(redactCommand(['CONFIG', 'GET', 'maxmemory'], 'truncated').text).toBe('CONFIG GET "maxmemory"');
    const long = redactCommand(
      ['MSET', ...Array.from({ length: 31 }, (_, index) => `k${index}`), '... (69 more arguments)'],
      'redacted',
    );
    expect(long.text).toMatch(/ \.\.\. \(69 more arguments\)$/);
    expect(long.argumentCount).toBe(100);
  });
});
