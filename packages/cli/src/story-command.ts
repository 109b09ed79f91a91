import { createMockConnector, scenarioTrigger, withoutExpectations } from '@aisre/connector-mock';
import {
  captureIncident,
  createAutoApprovalGate,
  createInMemoryApprovalHistory,
  createInvestigator,
  createManualClock,
  createResolver,
  defaultPolicy,
  pastIncidentsFromGraph,
  type Report,
  recordIncidentInGraph,
  reviseDecisionAfterInvestigation,
  urgencyWords,
} from '@aisre/core';
import { createKnowledgeGraph } from '@aisre/graph';
import { type CliIo, exitCodes } from './cli-io';
import { commonFlags, parseCommandFlags } from './command-flags';
import { commandHelp } from './help-text';
import { triageTrigger } from './scenario-run';
import { loadScenarioArgument } from './scenario-source';
import { createTerminalApprovalGate } from './terminal-approval-gate';
import { UsageError } from './usage-error';

const flags = {
  ...commonFlags,
  scenario: { type: 'string' },
  approve: { type: 'boolean' },
  ask: { type: 'boolean' },
  role: { type: 'string' },
  environment: { type: 'string' },
} as const;

const verifyWindowMs = 30 * 60_000;

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function evidenceLines(report: Report, count: number): string[] {
  const cited = new Set(report.conclusion?.citations ?? []);
  return report.evidence
    .filter((evidence) => cited.has(evidence.id) && evidence.verdict === 'supports')
    .sort((a, b) => b.weight - a.weight)
    .slice(0, count)
    .map((evidence) => `   [${evidence.id}] ${evidence.summary} (step ${evidence.step})`);
}

/**
 * `aisre story --scenario <file|name> [--approve] [--role <roles>] [--environment development]`: the whole
 * incident on mock telemetry — the alert arrives, triage decides with its reasons, the investigation concludes
 * with its evidence, remediations are proposed and decided by policy (the environment defaults to development;
 * `--approve` answers the approval, `--role` says which roles the approver holds), approved changes are applied through the mock connector's actuator, the
 * symptom is watched for 30 minutes of simulated time, and the outcome is captured as knowledge: the same
 * incident investigated again starts from it.
 *
 * @param args - the arguments after `story`
 * @param io - where to write
 * @returns the exit code
 */
export async function storyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandFlags('story', args, flags);
  if (values.help) {
    io.stdout(commandHelp.story ?? '');
    return exitCodes.ok;
  }
  if (values.ask && values.approve)
    throw new UsageError('aisre story: choose one of --ask and --approve', 'story');
  if (values.ask && !io.input)
    throw new UsageError('aisre story: --ask needs a standard input to read answers from', 'story');
  const scenario = withoutExpectations(await loadScenarioArgument(values.scenario ?? 'redis-3am', io.cwd));
  const environment = values.environment ?? 'development';
  const trigger = scenarioTrigger(scenario);
  const connector = createMockConnector(scenario, { now: Date.parse(trigger.at) });
  const clock = createManualClock(connector.now());
  const say = (...lines: string[]) => io.stdout(`${lines.join('\n')}\n`);

  say(
    `# ${scenario.name}`,
    '',
    `1. ${trigger.at}: ${trigger.severity} alert ${trigger.labels.alertname ?? trigger.summary} on ${trigger.entity}`,
  );

  const triage = await triageTrigger(connector, trigger, clock);
  say(`2. Triage: **${triage.decision}** (score ${triage.score.toFixed(2)})`);
  for (const reason of triage.reasons.slice(0, 5))
    say(
      `   - ${reason.factor} ${reason.weight >= 0 ? '+' : ''}${reason.weight.toFixed(2)}: ${reason.detail}`,
    );
  if (triage.decision === 'ignore' || triage.decision === 'watch') {
    say('', 'Nothing to investigate: the alert is left alone.');
    return exitCodes.ok;
  }

  const knowledge = createKnowledgeGraph({ clock });
  const report = await createInvestigator({
    connectors: [connector],
    clock,
    knowledge,
    pastIncidents: pastIncidentsFromGraph(knowledge),
    ...(triage.budget ? { budget: triage.budget } : {}),
  }).investigate(trigger);
  const conclusion = report.conclusion;
  const revised = reviseDecisionAfterInvestigation(triage.decision, report, triage);
  say(
    `3. Investigation: ${report.ending.kind} after ${report.budget.used.toolCalls} tool calls: ${
      conclusion
        ? `${conclusion.fault} on ${conclusion.entity} (${percent(conclusion.confidence)})`
        : report.ending.reason
    }`,
    ...evidenceLines(report, 3),
    `   Decision after the investigation: **${revised.decision}** (${revised.reason})${
      revised.decision === 'escalate'
        ? `: ${urgencyWords[revised.urgency ?? 'page']}, with the evidence`
        : revised.decision === 'investigate'
          ? ': the report goes to the owning team, nobody is woken'
          : ''
    }`,
  );
  if (revised.decision === 'watch') {
    say('', 'Nothing worth acting on: the situation is watched, nobody is told.');
    return exitCodes.ok;
  }
  if (!conclusion) {
    say('', 'No root cause was concluded, so nothing is proposed: a human takes it from here.');
    return exitCodes.ok;
  }

  const roles = (values.role ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role.length > 0);
  const gate =
    values.ask && io.input
      ? createTerminalApprovalGate({
          input: io.input,
          write: io.stderr,
          approver: 'you (at the terminal)',
          roles,
        })
      : createAutoApprovalGate({
          approve: values.approve === true,
          approver: values.approve ? 'you (--approve)' : 'nobody',
          roles,
        });
  const resolver = createResolver({
    connectors: [connector],
    policy: defaultPolicy,
    environment,
    gate,
    history: createInMemoryApprovalHistory(),
    clock,
  });
  const resolution = await resolver.resolve(report);
  say(`4. Proposals (${environment}):`);
  for (const record of resolution.records) {
    const proposal = resolution.proposals.find((candidate) => candidate.id === record.proposal);
    say(
      `   - ${record.title} [${proposal?.risk ?? '?'} risk, cites ${proposal?.citations.map((id) => `[${id}]`).join('') ?? ''}]: policy ${record.decision}${record.rule ? ` (${record.rule})` : ''} → ${record.outcome}`,
    );
  }
  const applied = resolution.applied[0];
  if (!applied) {
    say(
      '',
      !values.approve && !values.ask
        ? 'Nothing was applied: approval is needed (run with --approve to approve, or --ask to be asked).'
        : resolution.records.some((record) => record.approval?.outcome === 'unauthorized')
          ? `Nothing was applied: the policy asks for ${resolution.records.find((record) => record.approval?.outcome === 'unauthorized')?.approval?.role ?? 'a role'} (run with --role to say which roles you hold).`
          : 'Nothing was applied.',
    );
    return exitCodes.ok;
  }
  say(`5. Applied: ${applied.result.summary}`);

  connector.advanceBy(verifyWindowMs);
  clock.set(connector.now());
  const verification = await resolver.verify(report, {
    appliedAt: applied.appliedAt,
    windowMs: verifyWindowMs,
    now: connector.now(),
  });
  say(
    `6. Verification after ${verifyWindowMs / 60_000} min: ${verification.outcome}. ${verification.summary}`,
  );

  const incident = captureIncident({
    report,
    proposals: resolution.proposals,
    records: resolution.records,
    verification,
  });
  const incidentNode = incident ? recordIncidentInGraph(knowledge, incident) : undefined;
  const again = await createInvestigator({
    connectors: [createMockConnector(scenario, { now: Date.parse(trigger.at) })],
    clock: createManualClock(Date.parse(trigger.at)),
    knowledge,
    pastIncidents: pastIncidentsFromGraph(knowledge),
  }).investigate(trigger);
  say(
    `7. Knowledge captured in the graph (${knowledge.nodeCount} nodes, ${knowledge.edgeCount} edges): ${incident ? `${incidentNode}: ${incident.fault} on ${incident.entity}, mitigated by ${incident.remediations.join(', ')} (${incident.outcome})` : 'nothing'}.`,
    `   The same alert investigated again: ${again.conclusion ? `${again.conclusion.fault} on ${again.conclusion.entity}` : again.ending.kind} in ${again.budget.used.toolCalls} tool calls (first time: ${report.budget.used.toolCalls}).`,
  );
  return exitCodes.ok;
}
