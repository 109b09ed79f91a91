/** A source of delayed callbacks. Injected so tests and replays control when approvals and actions time out. */
export interface Timer {
  /**
   * Calls `callback` once, `milliseconds` from now.
   *
   * @returns a function that cancels the callback if it has not run yet
   */
  schedule(milliseconds: number, callback: () => void): () => void;
}

/** The real timer (`setTimeout`): the one place resolution waits on wall time. */
export const systemTimer: Timer = Object.freeze({
  schedule(milliseconds: number, callback: () => void) {
    const handle = setTimeout(callback, milliseconds);
    return () => clearTimeout(handle);
  },
});
