import { median } from '../investigation/anomaly-scoring';

/** A robust straight-line fit: `y ≈ intercept + slope × x`. */
export interface TheilSenFit {
  /** The median of the pairwise slopes. */
  slope: number;
  /** The median of `y − slope × x` (the level at `x = 0`). */
  intercept: number;
  /** Kendall's τ, −1..1: how consistently `y` rises (1) or falls (−1) with `x`. */
  consistency: number;
  /** The median absolute residual of the fit. */
  residual: number;
  /** Points used. */
  count: number;
}

/** The most points a fit uses; longer inputs are thinned evenly (the fit is O(n²)). */
export const theilSenMaximumPoints = 180;

/**
 * Fits a line by the Theil–Sen estimator: the slope is the median of the slopes between every pair of
 * points, so up to 29 % of outliers do not move it. Returns `undefined` for fewer than 3 points or when
 * every `x` is equal. Inputs longer than {@link theilSenMaximumPoints} are thinned evenly first.
 *
 * @param xs - the abscissae (time, or cumulative load)
 * @param ys - the values, same length
 */
export function fitTheilSen(xs: readonly number[], ys: readonly number[]): TheilSenFit | undefined {
  const length = Math.min(xs.length, ys.length);
  const stride = Math.max(1, Math.ceil(length / theilSenMaximumPoints));
  const x: number[] = [];
  const y: number[] = [];
  for (let index = length - 1; index >= 0; index -= stride) {
    x.unshift(xs[index] as number);
    y.unshift(ys[index] as number);
  }
  if (x.length < 3) return undefined;
  const slopes: number[] = [];
  let concordant = 0;
  let discordant = 0;
  for (let left = 0; left < x.length; left++) {
    for (let right = left + 1; right < x.length; right++) {
      const dx = (x[right] as number) - (x[left] as number);
      const dy = (y[right] as number) - (y[left] as number);
      if (dx !== 0) slopes.push(dy / dx);
      const sign = Math.sign(dx) * Math.sign(dy);
      if (sign > 0) concordant++;
      else if (sign < 0) discordant++;
    }
  }
  if (slopes.length === 0) return undefined;
  const slope = median(slopes);
  const intercept = median(y.map((value, index) => value - slope * (x[index] as number)));
  const residual = median(
    y.map((value, index) => Math.abs(value - intercept - slope * (x[index] as number))),
  );
  const pairs = (x.length * (x.length - 1)) / 2;
  return { slope, intercept, consistency: (concordant - discordant) / pairs, residual, count: x.length };
}
