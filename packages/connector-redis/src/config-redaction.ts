/** What a secret's value is shown as. */
export const redactedValue = '(redacted)';

/**
 * True for configuration parameters that hold credentials: `requirepass`, `masterauth`, the TLS key-file
 * passphrases, and any parameter whose name says password, auth, secret, token or credential.
 *
 * @param name - the parameter name
 */
export function isSecretParameter(name: string): boolean {
  return /pass|auth|secret|token|credential/i.test(name);
}

/**
 * Replaces the values of secret parameters: `(redacted)` when set, the empty string when not (whether a
 * password is set is an operational fact; the password is not).
 *
 * @param pairs - CONFIG GET's name/value pairs
 */
export function redactConfig(pairs: readonly [string, string][]): [string, string][] {
  return pairs.map(([name, value]) => [
    name,
    isSecretParameter(name) && value !== '' ? redactedValue : value,
  ]);
}
