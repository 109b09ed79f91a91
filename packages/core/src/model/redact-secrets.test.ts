import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it('redacts bearer and basic credentials', () => {
    expect(redactSecrets('Authorization: Bearer eyJhbGciOi.abc-def_ghi')).toBe(
      'Authorization: Bearer [REDACTED]',
    );
    expect(redactSecrets('authorization: basic dXNlcjpwYXNz')).toBe('authorization: basic [REDACTED]');
  });

  it('redacts password, secret, key and token fields, bare or quoted', () => {
    expect(redactSecrets('connecting with password=hunter2 to db')).toBe(
      'connecting with password=[REDACTED] to db',
    );
    expect(redactSecrets('DB_PASSWORD: s3cr3t!')).toBe('DB_PASSWORD: [REDACTED]');
    expect(redactSecrets('{"password": "p@ss word", "user": "ann"}')).toBe(
      '{"password": "[REDACTED]", "user": "ann"}',
    );
    expect(redactSecrets("aws_secret_access_key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'")).toBe(
      "aws_secret_access_key = '[REDACTED]'",
    );
    expect(redactSecrets('api_key=abc123def&page=2')).toBe('api_key=[REDACTED]&page=2');
    expect(redactSecrets('access_token: ya29.a0AfH6SM')).toBe('access_token: [REDACTED]');
  });

  it('leaves token counts and ordinary words alone', () => {
    const text = 'max_tokens=4096 input_tokens: 120 token: 42 the pass rate is fine';
    expect(redactSecrets(text)).toBe(text);
  });

  it('redacts the password of URL credentials', () => {
    expect(redactSecrets('DATABASE_URL=postgres://app:Sup3rS3cret@db.internal:5432/orders')).toBe(
      'DATABASE_URL=postgres://app:[REDACTED]@db.internal:5432/orders',
    );
    expect(redactSecrets('redis://default:abc@cache:6379')).toBe('redis://default:[REDACTED]@cache:6379');
  });

  it('redacts AWS access key ids and API keys', () => {
    expect(redactSecrets('key AKIAIOSFODNN7EXAMPLE used')).toBe('key [REDACTED] used');
    expect(redactSecrets('OPENAI sk-proj-abcdefghijklmnopqrstuvwxyz012345')).toBe('OPENAI [REDACTED]');
    expect(redactSecrets('sk-ant-api03-abcdefghijklmnopqrstuvwxyz-_AB')).toBe('[REDACTED]');
    expect(redactSecrets('ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe('[REDACTED]');
    expect(redactSecrets('xoxb-1234567890-abcdefghij')).toBe('[REDACTED]');
    expect(redactSecrets('the task-abcdefghijklmnopqrstuvwxyz finished')).toBe(
      'the task-abcdefghijklmnopqrstuvwxyz finished',
    );
  });

  it('redacts PEM blocks, also when cut off', () => {
    const pem = [
      'key:',
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEA7',
      '-----END RSA PRIVATE KEY-----',
      'done',
    ].join('\n');
    expect(redactSecrets(pem)).toBe(
      'key:\n-----BEGIN RSA PRIVATE KEY-----[REDACTED]-----END RSA PRIVATE KEY-----\ndone',
    );
    expect(redactSecrets('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toBe(
      '-----BEGIN CERTIFICATE-----[REDACTED]-----END CERTIFICATE-----',
    );
    expect(redactSecrets('x -----BEGIN PRIVATE KEY-----\nMIIE truncated')).toBe(
      'x -----BEGIN PRIVATE KEY-----[REDACTED]',
    );
  });

  it('redacts JWTs and extra patterns', () => {
    expect(
      redactSecrets(
        'cookie eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      ),
    ).toBe('cookie [REDACTED]');
    expect(redactSecrets('ticket TCK-12345 open', { extraPatterns: [/TCK-\d+/] })).toBe(
      'ticket [REDACTED] open',
    );
  });
});
