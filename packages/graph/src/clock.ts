/**
 * A source of time, in milliseconds since the Unix epoch. The graph never reads the system time
 * itself: freshness, `observedAt` defaults and snapshot stamps all come from the injected clock.
 */
export interface GraphClock {
  /** The current time, in milliseconds since the Unix epoch. */
  now(): number;
}

/**
 * The wall clock. This is the one place in the package that reads the system time; pass your
 * own {@link GraphClock} (a fixed or simulated one) for deterministic runs.
 */
export const systemClock: GraphClock = {
  now: () => Date.now(),
};
