import { InvalidInputError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { isAllowedParameter, memoryBytes, normaliseConfigValue, sameConfigValue } from './config-parameters';
import { isSecretParameter, redactConfig } from './config-redaction';

describe('config parameters of the actuator', () => {
  it('normalises values the way CONFIG GET reads them back', () => {
    expect(normaliseConfigValue('activedefrag', true)).toBe('yes');
    expect(normaliseConfigValue('activedefrag', 'NO')).toBe('no');
    expect(normaliseConfigValue('maxmemory', '128mb')).toBe(String(128 * 1024 * 1024));
    expect(normaliseConfigValue('maxmemory', 0)).toBe('0');
    expect(normaliseConfigValue('maxmemory-policy', 'allkeys-lfu')).toBe('allkeys-lfu');
    expect(normaliseConfigValue('slowlog-log-slower-than', -1)).toBe('-1');
    expect(sameConfigValue('maxmemory', '67108864', '64mb')).toBe(true);
    expect(memoryBytes('1gb')).toBe(1024 ** 3);
    expect(memoryBytes('1g')).toBe(1000 ** 3);
    expect(memoryBytes('lots')).toBeUndefined();
  });

  it('refuses values out of range and parameters off the allowlist, naming what they take', () => {
    expect(() => normaliseConfigValue('maxmemory', 1000)).toThrow(/at least 1048576 bytes/);
    expect(() => normaliseConfigValue('maxmemory', -5)).toThrow(InvalidInputError);
    expect(() => normaliseConfigValue('maxmemory-samples', 65)).toThrow(/from 1 to 64/);
    expect(() => normaliseConfigValue('hz', 2.5)).toThrow(InvalidInputError);
    expect(() => normaliseConfigValue('activedefrag', 'maybe')).toThrow(/yes or no/);
    for (const parameter of [
      'requirepass',
      'masterauth',
      'dir',
      'dbfilename',
      'aclfile',
      'save',
      'appendonly',
      'bind',
      'port',
    ]) {
      expect(isAllowedParameter(parameter), parameter).toBe(false);
      expect(() => normaliseConfigValue(parameter, 'x')).toThrow(InvalidInputError);
    }
    expect(isAllowedParameter('constructor')).toBe(false);
  });
});

describe('config redaction', () => {
  it('redacts every parameter that holds a credential, and says when none is set', () => {
    expect(
      ['requirepass', 'masterauth', 'tls-key-file-pass', 'tls-client-key-file-pass'].every(isSecretParameter),
    ).toBe(true);
    expect(['maxmemory', 'dir', 'masteruser', 'tls-key-file'].some(isSecretParameter)).toBe(false);
    expect(
      redactConfig([
        ['requirepass', 'hunter2'],
        ['masterauth', ''],
        ['maxmemory', '0'],
      ]),
    ).toEqual([
      ['requirepass', '(redacted)'],
      ['masterauth', ''],
      ['maxmemory', '0'],
    ]);
  });
});
