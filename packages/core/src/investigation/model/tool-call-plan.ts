import { jsonValueSchema } from '../../contracts/common';
import type { Hypothesis } from '../../contracts/hypothesis';
import type { ModelToolDefinition } from '../../contracts/language-model';
import { canonicalJson } from '../canonical-json';
import type { InvestigationScope } from '../hypothesis-generators';
import type { ModelCaller, PlannedToolCall } from '../model-reasoning';
import { describeHypothesis } from './hypothesis-description';
import { isoTimeOf, modelReasonerSystemPrompt, oneLine, wrapAsData } from './reasoner-prompts';
import { toolCallPlanReplySchema } from './reply-schemas';

function describeTools(tools: readonly ModelToolDefinition[]): string[] {
  return tools.flatMap((tool) => [
    `- ${tool.name}: ${oneLine(tool.description, 400)}`,
    `  input schema: ${JSON.stringify(tool.inputSchema)}`,
  ]);
}

/**
 * The user message of a `plan` request. The tools are described in the message, not offered as callable
 * tools: the model only names the calls it would make, and the engine decides what runs.
 *
 * @param hypothesis - the hypothesis to test
 * @param tools - the tools the engine offers
 * @param scope - the investigation scope
 * @param maxCalls - how many calls to ask for at most
 */
export function planPrompt(
  hypothesis: Hypothesis,
  tools: readonly ModelToolDefinition[],
  scope: InvestigationScope,
  maxCalls: number,
): string {
  const hops = scope.reach.get(hypothesis.entity);
  const context = [
    `Trigger: ${scope.trigger.kind} on ${scope.trigger.entity} at ${scope.trigger.at}: ${oneLine(scope.trigger.summary)}`,
    `Telemetry is read as of ${isoTimeOf(scope.asOf)}.`,
    `The hypothesis's entity is ${hops === undefined ? 'outside the reach' : `${hops} hop(s) from the alerting entity`}.`,
  ].join('\n');
  return [
    `Choose up to ${maxCalls} calls of the tools below that would best test this hypothesis: calls whose output`,
    'would look clearly different if it were true than if it were false. Prefer specific, cheap queries about the',
    "hypothesis's entity around the time of the trigger. Use only the tools listed, with inputs that match their",
    'input schemas; give no call rather than a pointless one.',
    '',
    `Hypothesis: ${oneLine(describeHypothesis(hypothesis), 400)}`,
    '',
    wrapAsData('INCIDENT CONTEXT', context),
    '',
    'Tools:',
    ...describeTools(tools),
  ].join('\n');
}

/**
 * Asks the model which tool calls would test a hypothesis and keeps the usable ones: calls to tools that were
 * offered, with a JSON object as input, without duplicates, at most `maxCalls`. The engine still validates
 * each input against its tool's schema before anything runs. Returns `[]` when no tool is offered (without
 * calling the model) or the model gives no usable reply.
 *
 * @param hypothesis - the hypothesis to test
 * @param tools - the tools the engine offers
 * @param scope - the investigation scope
 * @param call - the engine's model caller
 * @param maxCalls - how many calls to keep at most
 */
export async function planToolCalls(
  hypothesis: Hypothesis,
  tools: readonly ModelToolDefinition[],
  scope: InvestigationScope,
  call: ModelCaller,
  maxCalls: number,
): Promise<PlannedToolCall[]> {
  if (tools.length === 0) return [];
  const result = await call(
    {
      system: modelReasonerSystemPrompt,
      messages: [{ role: 'user', content: planPrompt(hypothesis, tools, scope, maxCalls) }],
      schema: { name: 'tool_call_plan', schema: toolCallPlanReplySchema },
      maxOutputTokens: 256 + 192 * maxCalls,
    },
    { purpose: 'plan', hypothesis: hypothesis.id },
  );
  const reply = toolCallPlanReplySchema.safeParse(result?.object);
  if (!reply.success) return [];
  const offered = new Set(tools.map((tool) => tool.name));
  const seen = new Set<string>();
  const planned: PlannedToolCall[] = [];
  for (const candidate of reply.data.calls) {
    if (planned.length >= maxCalls) break;
    const tool = candidate.tool.trim();
    if (!offered.has(tool)) continue;
    const input = jsonValueSchema.safeParse(candidate.input);
    if (!input.success) continue;
    const key = `${tool} ${canonicalJson(input.data)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const reason = oneLine(candidate.reason, 240);
    planned.push({ tool, input: input.data, reason: reason === '' ? 'chosen by the model' : reason });
  }
  return planned;
}
