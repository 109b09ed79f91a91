import {
  type BudgetLimits,
  type Report,
  renderReportHtml,
  renderReportJson,
  renderReportMarkdown,
} from '@aisre/core';
import { type CliIo, exitCodes } from './cli-io';
import { commonFlags, numberFlag, parseCommandFlags } from './command-flags';
import { commandHelp } from './help-text';
import { createLiveView, type LiveView } from './live-view';
import { followWithProgressLines } from './progress-lines';
import { runScenario } from './scenario-run';
import { loadScenarioArgument } from './scenario-source';
import { UsageError } from './usage-error';

const flags = {
  ...commonFlags,
  scenario: { type: 'string' },
  json: { type: 'boolean' },
  html: { type: 'boolean' },
  concurrency: { type: 'string' },
  'max-tool-calls': { type: 'string' },
  'max-seconds': { type: 'string' },
} as const;

function renderReport(report: Report, format: 'json' | 'html' | 'markdown'): string {
  if (format === 'json') return `${renderReportJson(report)}\n`;
  if (format === 'html') return renderReportHtml(report);
  return renderReportMarkdown(report);
}

/**
 * `aisre investigate --scenario <file|name> [--json|--html] [--concurrency N] [--max-tool-calls N] [--max-seconds N]`:
 * investigates a scenario's trigger on the mock connector and prints the report on standard output
 * (Markdown; one JSON object with `--json`; a self-contained HTML page with the evidence charts with `--html`). Progress goes to standard error: a live view on a terminal,
 * one line per event otherwise.
 *
 * @param args - the arguments after `investigate`
 * @param io - where to write
 * @returns the exit code
 */
export async function investigateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandFlags('investigate', args, flags);
  if (values.help) {
    io.stdout(commandHelp.investigate ?? '');
    return exitCodes.ok;
  }
  if (!values.scenario) {
    throw new UsageError(
      'aisre investigate: --scenario is required: a scenario file or a built-in name (see aisre scenarios)',
      'investigate',
    );
  }
  if (values.json && values.html) {
    throw new UsageError('aisre investigate: choose one of --json and --html', 'investigate');
  }
  const concurrency = numberFlag('investigate', 'concurrency', values.concurrency, { integer: true, min: 1 });
  const toolCalls = numberFlag('investigate', 'max-tool-calls', values['max-tool-calls'], {
    integer: true,
    min: 1,
  });
  const seconds = numberFlag('investigate', 'max-seconds', values['max-seconds'], { integer: false, min: 1 });
  const budget: Partial<BudgetLimits> = {
    ...(toolCalls === undefined ? {} : { toolCalls }),
    ...(seconds === undefined ? {} : { wallTimeMs: Math.round(seconds * 1000) }),
  };
  const scenario = await loadScenarioArgument(values.scenario, io.cwd);

  let view: LiveView | undefined;
  try {
    const { report } = await runScenario(scenario, {
      now: io.now,
      budget,
      ...(concurrency === undefined ? {} : { concurrency }),
      listen: (events) => {
        if (io.isTTY) {
          view = createLiveView({ write: io.stderr, columns: io.columns, now: io.now });
          view.attach(events);
        } else {
          followWithProgressLines(events, io.stderr);
        }
      },
    });
    view?.finish();
    io.stdout(renderReport(report, values.json ? 'json' : values.html ? 'html' : 'markdown'));
  } finally {
    view?.finish();
  }
  return exitCodes.ok;
}
