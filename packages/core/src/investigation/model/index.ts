/**
 * The built-in model reasoner: prompts, reply schemas and validation for the model-driven part of an
 * investigation (propose candidates, plan tool calls, interpret tool output).
 *
 * @module
 */
export { createModelReasoner } from './model-reasoner';
export { modelReasonerSystemPrompt, truncateToolOutput } from './reasoner-prompts';
export { interpretationLikelihoodRatio, strengthLikelihoodRatios } from './tool-output-interpretation';
export type { EvidenceStrength, ModelReasonerOptions } from './types';
