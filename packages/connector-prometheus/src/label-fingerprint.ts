import type { Labels } from '@aisre/core';

const offset = 14695981039346656037n;
const prime = 1099511628211n;
const mask = (1n << 64n) - 1n;
const separator = 0xff;
const encoder = new TextEncoder();

function add(hash: bigint, bytes: Uint8Array): bigint {
  let next = hash;
  for (const byte of bytes) next = ((next ^ BigInt(byte)) * prime) & mask;
  return next;
}

/**
 * The fingerprint Prometheus and Alertmanager give a label set (`model.LabelSet.Fingerprint`): FNV-1a 64 over
 * the sorted names and their values, each followed by the byte 0xff, as 16 hex digits. Alertmanager's
 * webhook `fingerprint` is this hash of the alert's labels.
 *
 * @param labels - the label set
 */
export function labelsFingerprint(labels: Labels): string {
  let hash = offset;
  for (const name of Object.keys(labels).sort()) {
    hash = add(hash, encoder.encode(name));
    hash = add(hash, Uint8Array.of(separator));
    hash = add(hash, encoder.encode(labels[name] ?? ''));
    hash = add(hash, Uint8Array.of(separator));
  }
  return hash.toString(16).padStart(16, '0');
}
