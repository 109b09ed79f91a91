import { isEntityRef } from '../../contracts/entity-ref';
import { degradedFault, type HypothesisProposal, type InvestigationScope } from '../hypothesis-generators';
import type { ModelCaller } from '../model-reasoning';
import { modelReasonerSystemPrompt, oneLine, wrapAsData } from './reasoner-prompts';
import { candidateCausesReplySchema } from './reply-schemas';
import { describeScope } from './scope-description';

/** The shape of a specific fault id: dotted, lower case (`redis.memory-fragmentation`). */
export const faultIdPattern: RegExp = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/**
 * The weight the built-in graph generator gives per hop (its default decay). A model candidate's weight is
 * scaled by it, so a model candidate never weighs more than the graph's own candidate for the same entity:
 * the model adds candidates, it does not overrule the built-in ones.
 */
const graphDecay = 0.75;

/**
 * The user message of a `propose` request.
 *
 * @param scope - the investigation scope
 * @param maxCandidates - how many candidates to ask for at most
 */
export function proposePrompt(scope: InvestigationScope, maxCandidates: number): string {
  return [
    `Propose up to ${maxCandidates} candidate root causes of the trigger described in the scope below, most likely first.`,
    'Built-in generators already consider every entity in reach as `degraded` and the known fault ids of each kind;',
    'add what they would miss or rank low: a specific fault that fits the trigger, the changes or past incidents.',
    'For each candidate give:',
    '- entity: one of the entity refs listed under "Entities", exactly as written;',
    "- fault: a known fault id for that entity's kind, another dotted lower-case id (`kind.what-fails`) when none",
    '  fits, or `degraded` when only the entity is suspect;',
    '- weight: how likely it is, from 0 to 1;',
    '- reason: one sentence citing what in the scope points to it.',
    '',
    wrapAsData('INVESTIGATION SCOPE', describeScope(scope)),
  ].join('\n');
}

function clampUnit(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/**
 * Asks the model for candidate causes and keeps the valid ones: the entity must be in the scope's reach and
 * the fault a dotted id or `degraded`; weights are clamped to 0..1 and scaled by the graph decay for the
 * entity's distance. Returns `[]` when the model gives no usable reply.
 *
 * @param scope - the investigation scope
 * @param call - the engine's model caller
 * @param maxCandidates - how many candidates to keep at most
 */
export async function proposeCandidates(
  scope: InvestigationScope,
  call: ModelCaller,
  maxCandidates: number,
): Promise<HypothesisProposal[]> {
  const result = await call(
    {
      system: modelReasonerSystemPrompt,
      messages: [{ role: 'user', content: proposePrompt(scope, maxCandidates) }],
      schema: { name: 'candidate_causes', schema: candidateCausesReplySchema },
      maxOutputTokens: 256 + 128 * maxCandidates,
    },
    { purpose: 'propose' },
  );
  const reply = candidateCausesReplySchema.safeParse(result?.object);
  if (!reply.success) return [];
  const kept = new Map<string, HypothesisProposal>();
  for (const candidate of reply.data.candidates) {
    const entity = candidate.entity.trim();
    const fault = candidate.fault.trim();
    if (!isEntityRef(entity)) continue;
    const hops = scope.reach.get(entity);
    if (hops === undefined) continue;
    if (fault !== degradedFault && !faultIdPattern.test(fault)) continue;
    if (!Number.isFinite(candidate.weight)) continue;
    const weight = clampUnit(candidate.weight) * graphDecay ** hops;
    if (weight <= 0) continue;
    const key = `${entity}#${fault}`;
    const existing = kept.get(key);
    if (existing) {
      existing.weight = Math.max(existing.weight, weight);
      continue;
    }
    if (kept.size >= maxCandidates) continue;
    const reason = oneLine(candidate.reason, 240);
    kept.set(key, {
      entity,
      fault,
      weight,
      mode: 'candidate',
      reason: reason === '' ? 'proposed by the model' : reason,
    });
  }
  return [...kept.values()];
}
