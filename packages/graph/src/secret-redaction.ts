const urlCredentials = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#]*):([^\s@/?#]*)@/gi;
const keyValueSecret =
  /\b((?:db[_-]?|redis[_-]?|pg)?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|client[_-]?secret|private[_-]?key|credentials?|auth[_-]?token|sas|sig))(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s;,&"']+)/gi;
const bearer = /\b(bearer|basic)\s+[A-Za-z0-9._~+/-]{8,}=*/gi;
const privateKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const knownTokens = [
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  /\bsk-[A-Za-z0-9_-]{20,}\b/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g,
];

/** What {@link redactSecrets} puts in place of a secret. */
export const REDACTED = '[redacted]';

/**
 * Removes secrets from free text before it is stored (as a citation) or sent to a model:
 * passwords in URLs (`redis://:pw@host` → `redis://host`, `postgres://user:pw@host` →
 * `postgres://user@host`), `password=…`/`token: …` pairs, bearer tokens, private keys and
 * well-known token formats (AWS, GitHub, Slack, OpenAI, JWT).
 *
 * @param text - Any text.
 * @returns The text with secrets replaced by {@link REDACTED} or dropped.
 */
export function redactSecrets(text: string): string {
  let result = text.replace(urlCredentials, (_match, scheme: string, user: string) =>
    user === '' ? scheme : `${scheme}${user}@`,
  );
  result = result.replace(privateKey, REDACTED);
  result = result.replace(
    keyValueSecret,
    (_match, key: string, separator: string) => `${key}${separator}${REDACTED}`,
  );
  result = result.replace(bearer, (_match, scheme: string) => `${scheme} ${REDACTED}`);
  for (const pattern of knownTokens) result = result.replace(pattern, REDACTED);
  return result;
}

const sensitiveParameter = /pass|pwd|secret|token|key|auth|credential|sig|session/i;

/**
 * Strips credentials from a connection URL: the password of the user info and every query
 * parameter whose name looks sensitive (`password`, `sslkey`, `token`, ...).
 *
 * @param scheme - URL scheme, without `://`.
 * @param user - User name, if any (kept: it is not a secret).
 * @param host - Host.
 * @param port - Port, if any.
 * @param path - Path, if any.
 * @param query - Query string without `?`, if any.
 * @returns The sanitised URL.
 */
export function sanitisedUrl(
  scheme: string,
  user: string | undefined,
  host: string,
  port: number | undefined,
  path: string | undefined,
  query: string | undefined,
): string {
  // Parts joined once: one flat string (see flat-text.ts), kept by the graph.
  const url = [scheme, '://'];
  if (user !== undefined && user !== '') url.push(user, '@');
  url.push(host);
  if (port !== undefined) url.push(':', String(port));
  if (path !== undefined && path !== '' && path !== '/') url.push(path);
  if (query !== undefined && query !== '') {
    const kept = query.split('&').filter((pair) => {
      const name = pair.split('=')[0] ?? '';
      return name !== '' && !sensitiveParameter.test(name);
    });
    if (kept.length > 0) url.push('?', kept.join('&'));
  }
  return url.join('');
}
