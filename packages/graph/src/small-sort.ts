/**
 * Internal: sorting for the short lists the ingesters build per object (names, keys, secret
 * references). `Array.prototype.sort` allocates its merge state on every call (more than a
 * kilobyte), which is most of what building such a list costs; below {@link SMALL_LIST} entries
 * an insertion sort gives the same order without allocating.
 */

/** Lists up to this length are sorted by insertion. */
const SMALL_LIST = 32;

/**
 * Internal: sorts strings in place, in the order of `Array.prototype.sort()` (UTF-16 code units).
 *
 * @param list - The strings.
 * @returns The same list, sorted.
 */
export function sortStrings<T extends string>(list: T[]): T[] {
  if (list.length > SMALL_LIST) return list.sort();
  for (let index = 1; index < list.length; index++) {
    const entry = list[index] as T;
    let position = index - 1;
    while (position >= 0 && (list[position] as T) > entry) {
      list[position + 1] = list[position] as T;
      position--;
    }
    list[position + 1] = entry;
  }
  return list;
}

/**
 * Internal: the distinct strings of a list, sorted (a new list unless the input has fewer than two).
 *
 * @param values - The strings.
 * @returns Sorted, without duplicates.
 */
export function sortedUniqueStrings(values: string[]): string[] {
  if (values.length < 2) return values;
  if (values.length > SMALL_LIST) return [...new Set(values)].sort();
  const sorted = sortStrings(values.slice());
  let kept = 1;
  for (let index = 1; index < sorted.length; index++) {
    if (sorted[index] !== sorted[kept - 1]) sorted[kept++] = sorted[index] as string;
  }
  sorted.length = kept;
  return sorted;
}
