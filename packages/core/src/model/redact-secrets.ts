/** What a redacted secret is replaced with. */
export const redactionPlaceholder = '[REDACTED]';

/** Options of {@link redactSecrets}. */
export interface RedactSecretsOptions {
  /** Further patterns to redact (whole matches are replaced; a missing `g` flag is added). */
  extraPatterns?: readonly RegExp[];
}

const pemBlock = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
/** A private key whose END line was cut off (a truncated log line): redact to the end. */
const unterminatedPrivateKey = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----(?![\s\S]*-----END \1-----)[\s\S]*$/g;
const urlCredentials = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]+):([^\s@/]+)@/gi;
const authorizationScheme = /\b(Bearer|Basic)(\s+)[A-Za-z0-9\-._~+/]{6,}=*/gi;
/** `password=…`, `"db_password": "…"`, `secret: …`: any value. */
const passwordField =
  /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|passphrase|secret|credentials?)[A-Za-z0-9_.-]*)(["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"'}]+)/gi;
/** `api_key=…`, `access_token: …`, `private-key=…`: values that are not plain numbers (not `max_tokens=…`). */
const keyField =
  /\b([A-Za-z0-9_.-]*(?:api[_-]?key|access[_-]?key|private[_-]?key|(?:access|refresh|auth|session|bearer|id)[_-]?token|token(?![a-z])))(["']?\s*[=:]\s*)(?![0-9]+\b)("[^"]*"|'[^']*'|[^\s,;&"'}]+)/gi;
const tokenShapes: readonly RegExp[] = [
  /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|APKA)[A-Z0-9]{16}\b/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

function redactValue(value: string): string {
  const quote = value[0];
  return quote === '"' || quote === "'" ? `${quote}${redactionPlaceholder}${quote}` : redactionPlaceholder;
}

/**
 * Replaces secrets in `text` with `[REDACTED]`: PEM blocks (keys and certificates), `Bearer` and `Basic`
 * credentials, the password of `scheme://user:password@host` URLs, `password=…` / `secret: …` /
 * `api_key=…` / `access_token=…` fields (also quoted, as in JSON), AWS access key ids, `sk-…` API keys
 * (OpenAI, Anthropic), GitHub, GitLab, Slack and Google keys, and JWTs.
 *
 * The engine runs it over everything before it reaches a prompt; model adapters do not call it on the
 * request. It is a safety net, not a guarantee: keep secrets out of telemetry in the first place.
 *
 * @param text - logs, events, tool output or any text
 * @param options - extra patterns to redact
 */
export function redactSecrets(text: string, options: RedactSecretsOptions = {}): string {
  let redacted = text
    .replace(
      pemBlock,
      (_match, label: string) => `-----BEGIN ${label}-----${redactionPlaceholder}-----END ${label}-----`,
    )
    .replace(
      unterminatedPrivateKey,
      (_match, label: string) => `-----BEGIN ${label}-----${redactionPlaceholder}`,
    )
    .replace(
      urlCredentials,
      (_match, scheme: string, user: string) => `${scheme}${user}:${redactionPlaceholder}@`,
    )
    .replace(
      authorizationScheme,
      (_match, scheme: string, space: string) => `${scheme}${space}${redactionPlaceholder}`,
    )
    .replace(
      passwordField,
      (_match, key: string, separator: string, value: string) => `${key}${separator}${redactValue(value)}`,
    )
    .replace(
      keyField,
      (_match, key: string, separator: string, value: string) => `${key}${separator}${redactValue(value)}`,
    );
  for (const pattern of [...tokenShapes, ...(options.extraPatterns ?? [])]) {
    const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
    redacted = redacted.replace(global, redactionPlaceholder);
  }
  return redacted;
}
