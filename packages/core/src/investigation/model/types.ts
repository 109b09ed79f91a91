/** Options of {@link createModelReasoner}. */
export interface ModelReasonerOptions {
  /** The most candidate causes kept from one `propose` reply (default 5). */
  maxCandidates?: number;
  /** The most tool calls kept from one `plan` reply (default 3). */
  maxToolCallsPerHypothesis?: number;
  /**
   * The most characters of one tool output shown to the model (default 4000); the rest is cut and marked
   * `[truncated N chars]`.
   */
  outputShareChars?: number;
}

/** How strongly a tool output bears on a hypothesis, as the model reads it. */
export type EvidenceStrength = 'weak' | 'moderate' | 'strong';
