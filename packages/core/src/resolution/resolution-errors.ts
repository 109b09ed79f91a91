import { AisreError } from '../errors/aisre-error';
import type { RecordedError } from './types';

/** Any thrown value as an {@link AisreError} (kept as is when it already is one). */
export function toAisreError(error: unknown, what: string): AisreError {
  if (AisreError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AisreError('internal', `${what}: ${message}`, { cause: error });
}

/** A plain JSON form of an error, for the audit trail. */
export function errorRecord(error: AisreError): RecordedError {
  return { code: error.code, message: error.message };
}
