import { InvalidInputError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { resolveConnectionSettings } from './connection-settings';

describe('resolveConnectionSettings', () => {
  it('takes options first, then the environment, then defaults', () => {
    const fromEnv = resolveConnectionSettings({
      env: {
        REDIS_URL: 'rediss://app:from-url@cache.internal:6390/3',
        REDIS_PASSWORD: 'from-env',
        AISRE_REDIS_ENTITY: 'redis:shop/session-cache',
        AISRE_REDIS_COMMAND_TIMEOUT_MS: '750',
      },
    });
    expect(fromEnv).toMatchObject({
      address: 'cache.internal:6390',
      entity: 'redis:shop/session-cache',
      commandTimeoutMs: 750,
      connectTimeoutMs: 5000,
      password: 'from-env',
      clientOptions: {
        host: 'cache.internal',
        port: 6390,
        db: 3,
        username: 'app',
        password: 'from-env',
        tls: { servername: 'cache.internal' },
      },
    });
    const fromOptions = resolveConnectionSettings({
      url: 'redis://127.0.0.1:6391',
      password: 'from-options',
      commandTimeoutMs: 100,
      env: {
        REDIS_URL: 'redis://elsewhere:1',
        REDIS_PASSWORD: 'from-env',
        AISRE_REDIS_COMMAND_TIMEOUT_MS: '750',
      },
    });
    expect(fromOptions).toMatchObject({
      address: '127.0.0.1:6391',
      entity: 'redis:127.0.0.1/6391',
      commandTimeoutMs: 100,
      password: 'from-options',
    });
    expect(resolveConnectionSettings({ env: {} })).toMatchObject({
      address: '127.0.0.1:6379',
      entity: 'redis:127.0.0.1/6379',
    });
  });

  it('rejects malformed options and variables with an InvalidInputError that names them', () => {
    expect(() => resolveConnectionSettings({ url: 'http://x', env: {} })).toThrow(
      /must start with redis:\/\//,
    );
    expect(() => resolveConnectionSettings({ url: 'not a url', env: {} })).toThrow(InvalidInputError);
    expect(() => resolveConnectionSettings({ url: 'redis://h/abc', env: {} })).toThrow(/database number/);
    expect(() => resolveConnectionSettings({ env: { AISRE_REDIS_CONNECT_TIMEOUT_MS: 'soon' } })).toThrow(
      /AISRE_REDIS_CONNECT_TIMEOUT_MS must be a whole number/,
    );
    expect(() => resolveConnectionSettings({ env: { AISRE_REDIS_ENTITY: 'cache' } })).toThrow(
      /AISRE_REDIS_ENTITY/,
    );
    expect(() => resolveConnectionSettings({ commandTimeoutMs: 0, env: {} })).toThrow(/commandTimeoutMs/);
    expect(() => resolveConnectionSettings({ ...({ urll: 'redis://x' } as object), env: {} })).toThrow(
      /urll/,
    );
  });
});
