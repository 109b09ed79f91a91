const binarySuffixes: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const decimalSuffixes: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
/** Quantities parsed so far (`null`: malformed), forgotten past {@link MAX_REMEMBERED_QUANTITIES}. */
const parsedQuantities = new Map<string, number | null>();
const MAX_REMEMBERED_QUANTITIES = 4096;
const quantityPattern =
  /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|K|M|G|T|P|E)?$/;

/**
 * Parses a Kubernetes resource quantity (`500m`, `2`, `1.5`, `256Mi`, `1G`, `129e6`).
 *
 * @param quantity - The quantity, as a string or a number.
 * @returns Its value in base units (cores, bytes, devices), or `undefined` when malformed.
 */
export function parseQuantity(quantity: string | number): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  // Clusters repeat a few quantities (`250m`, `512Mi`) in every pod: each is parsed once.
  const known = parsedQuantities.get(quantity);
  if (known !== undefined) return known ?? undefined;
  const match = quantityPattern.exec(quantity.trim());
  let value: number | null = null;
  if (match !== null) {
    const suffix = match[2] ?? '';
    value = Number(match[1]) * (binarySuffixes[suffix] ?? decimalSuffixes[suffix] ?? 1);
  }
  if (parsedQuantities.size >= MAX_REMEMBERED_QUANTITIES) parsedQuantities.clear();
  parsedQuantities.set(quantity, value);
  return value ?? undefined;
}

/**
 * Parses a CPU quantity into millicores (`500m` → 500, `2` → 2000).
 *
 * @param quantity - The quantity.
 * @returns Millicores, rounded, or `undefined`.
 */
export function parseMillicores(quantity: string | number): number | undefined {
  const cores = parseQuantity(quantity);
  return cores === undefined ? undefined : Math.round(cores * 1000);
}

/**
 * Parses a memory quantity into bytes (`256Mi` → 268435456).
 *
 * @param quantity - The quantity.
 * @returns Bytes, rounded, or `undefined`.
 */
export function parseBytes(quantity: string | number): number | undefined {
  const bytes = parseQuantity(quantity);
  return bytes === undefined ? undefined : Math.round(bytes);
}
