/**
 * The median of the first `length` values of `values`, found by selection in linear expected time; the
 * values are reordered. The result is exactly what sorting (`Float64Array.prototype.sort`) and taking the
 * middle would give, signed zeros included: NaN, which a sort puts last, sends the values to that sort. NaN
 * for no values.
 *
 * @param values - the values (reordered in place)
 * @param length - how many of them count (default: all)
 */
export function medianInPlace(values: Float64Array, length = values.length): number {
  if (length === 0) return Number.NaN;
  for (let index = 0; index < length; index++) {
    if (Number.isNaN(values[index] as number)) return sortedMedian(values.subarray(0, length));
  }
  const middle = length >> 1;
  const upper = signedZeroAt(values, length, middle, selectInPlace(values, length, middle));
  if (length % 2 === 1) return upper;
  // Selection left every value below `middle` at most `upper`: the lower middle is the largest of them.
  let lower = values[0] as number;
  for (let index = 1; index < middle; index++) lower = Math.max(lower, values[index] as number);
  return (signedZeroAt(values, length, middle - 1, lower) + upper) / 2;
}

function sortedMedian(values: Float64Array): number {
  values.sort();
  const middle = values.length >> 1;
  return values.length % 2 === 1
    ? (values[middle] as number)
    : ((values[middle - 1] as number) + (values[middle] as number)) / 2;
}

/**
 * The value at index `k` of the sorted first `length` values (Hoare's selection, middle pivot), leaving the
 * smaller ones before `k`. Falls back to a sort of the remaining range after many unlucky partitions, so the
 * worst case stays O(n log n).
 */
function selectInPlace(values: Float64Array, length: number, k: number): number {
  let low = 0;
  let high = length - 1;
  let rounds = 0;
  while (high > low) {
    if (++rounds > 64) {
      values.subarray(low, high + 1).sort();
      break;
    }
    const pivot = values[(low + high) >> 1] as number;
    let left = low;
    let right = high;
    while (left <= right) {
      while ((values[left] as number) < pivot) left++;
      while ((values[right] as number) > pivot) right--;
      if (left <= right) {
        const swap = values[left] as number;
        values[left] = values[right] as number;
        values[right] = swap;
        left++;
        right--;
      }
    }
    if (k <= right) high = right;
    else if (k >= left) low = left;
    else break;
  }
  return values[k] as number;
}

/**
 * Selection compares `-0` and `0` as equal, a sort does not: when the value at sorted index `k` is a zero,
 * which zero the sort puts there depends on how many values are negative or `-0`.
 */
function signedZeroAt(values: Float64Array, length: number, k: number, value: number): number {
  if (value !== 0) return value;
  let belowZero = 0;
  for (let index = 0; index < length; index++) {
    const one = values[index] as number;
    if (one < 0 || Object.is(one, -0)) belowZero++;
  }
  return k < belowZero ? -0 : 0;
}
