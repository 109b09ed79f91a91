import type { TriageDecision } from '@aisre/core';
import { type CliIo, exitCodes } from './cli-io';
import { commonFlags, parseCommandFlags } from './command-flags';
import { commandHelp } from './help-text';
import { triageScenario } from './scenario-run';
import { loadScenarioArgument } from './scenario-source';
import { UsageError } from './usage-error';

const flags = { ...commonFlags, scenario: { type: 'string' }, json: { type: 'boolean' } } as const;

/** What a decision sets in motion (docs/awareness.md, "Decisions"), in a sentence. */
function nextStep(decision: TriageDecision): string {
  switch (decision) {
    case 'ignore':
      return 'nothing: nobody is told and nothing is spent.';
    case 'watch':
      return 'nobody is told; the situation is kept and triaged again when its signals change.';
    case 'investigate':
      return 'the agent investigates within the budget and reports to the owning team, waking nobody; a real fault behind a P1 or P2 escalates, and a finding of nothing sends it back to watch (aisre story runs it).';
    case 'escalate':
      return 'the agent investigates within the budget, then pages with the evidence and the proposed fix; an investigation that finds nothing, when nothing else makes it urgent and plain to see, sends it back to watch (aisre story runs it).';
  }
}

/**
 * `aisre triage --scenario <file|name> [--json]`: decides what to do about a scenario's alert (ignore, watch,
 * investigate, escalate) with core's awareness, and prints the score with its reasons and the forecast.
 *
 * @param args - the arguments after `triage`
 * @param io - where to write
 * @returns the exit code
 */
export async function triageCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandFlags('triage', args, flags);
  if (values.help) {
    io.stdout(commandHelp.triage ?? '');
    return exitCodes.ok;
  }
  if (!values.scenario) {
    throw new UsageError(
      'aisre triage: --scenario is required: a scenario file or a built-in name (see aisre scenarios)',
      'triage',
    );
  }
  const scenario = await loadScenarioArgument(values.scenario, io.cwd);
  const triage = await triageScenario(scenario);
  if (values.json) {
    io.stdout(
      `${JSON.stringify(
        {
          scenario: scenario.name,
          decision: triage.decision,
          score: triage.score,
          severity: triage.severity,
          reasons: triage.reasons,
          forecast: triage.forecast ?? null,
          symptom: triage.symptom ?? null,
          corroborated: triage.corroborated,
          urgent: triage.urgent,
          budget: triage.budget,
          next: nextStep(triage.decision),
        },
        null,
        2,
      )}\n`,
    );
    return exitCodes.ok;
  }
  const lines = [
    `# Triage of ${scenario.trigger.alert} on ${scenario.trigger.entity} (${triage.severity})`,
    '',
    `Decision: **${triage.decision}** (score ${triage.score.toFixed(2)})`,
    '',
    '| factor | weight | why |',
    '| --- | --- | --- |',
    ...triage.reasons.map(
      (reason) =>
        `| ${reason.factor} | ${reason.weight >= 0 ? '+' : ''}${reason.weight.toFixed(2)} | ${reason.detail} |`,
    ),
    '',
  ];
  if (triage.budget) {
    lines.push(
      `Investigation budget: ${triage.budget.toolCalls} tool calls, ${Math.round(triage.budget.wallTimeMs / 1000)} s.`,
      '',
    );
  }
  lines.push(`Next: ${nextStep(triage.decision)}`, '');
  io.stdout(`${lines.join('\n')}\n`);
  return exitCodes.ok;
}
