import type { BudgetLimits, BudgetUsage, Ending, Hypothesis, InvestigationEmitter } from '@aisre/core';
import { bar, fitLine, pad, percent, type Segment, type Style } from './terminal-text';

/** What the live view shows, gathered from the investigation's events. */
export interface LiveViewState {
  /** The trigger, in words. */
  title: string;
  /** Every hypothesis so far, by id. */
  hypotheses: Map<string, Hypothesis>;
  /** The budget's limits, once known. */
  limits: BudgetLimits | undefined;
  /** What has been spent. */
  used: BudgetUsage | undefined;
  /** The check that started last and has not ended. */
  check:
    | {
        /** The step's number. */
        step: number;
        /** What it calls. */
        tool: string;
        /** The hypothesis it serves. */
        hypothesis?: string;
      }
    | undefined;
  /** Checks that ended, and how many of them failed. */
  checks: {
    /** Checks that ended. */
    ended: number;
    /** Of those, the ones that failed. */
    failed: number;
  };
  /** Evidence gathered. */
  evidence: number;
  /** How it ended, once it has. */
  ending: Ending | undefined;
}

/** How many hypotheses the live view lists. */
const shownHypotheses = 8;

function statusStyle(status: Hypothesis['status']): Style | undefined {
  if (status === 'concluded' || status === 'supported') return 'green';
  if (status === 'refuted' || status === 'pruned') return 'dim';
  return undefined;
}

function confidenceStyle(posterior: number): Style {
  if (posterior >= 0.5) return 'green';
  if (posterior >= 0.2) return 'yellow';
  return 'dim';
}

/**
 * Renders the live view's lines: the trigger, the hypotheses most likely first with their confidence as
 * bars, the tool-call budget as a bar, and the current check (or the ending).
 *
 * @param state - what the events said so far
 * @param columns - the terminal width
 * @param color - whether to use ANSI styles
 */
export function renderLiveView(state: LiveViewState, columns: number, color: boolean): string[] {
  const lines: Segment[][] = [[{ text: 'aisre ', style: 'bold' }, { text: state.title }]];
  const ranked = [...state.hypotheses.values()].sort(
    (left, right) => right.posterior - left.posterior || left.id.localeCompare(right.id),
  );
  if (ranked.length === 0) lines.push([{ text: '  building hypotheses…', style: 'dim' }]);
  for (const hypothesis of ranked.slice(0, shownHypotheses)) {
    lines.push([
      { text: '  ' },
      { text: bar(hypothesis.posterior, 20), style: confidenceStyle(hypothesis.posterior) },
      { text: ` ${pad(percent(hypothesis.posterior), 4, 'right')}  ` },
      { text: pad(hypothesis.status, 9), style: statusStyle(hypothesis.status) ?? 'cyan' },
      { text: ` ${hypothesis.fault} on ${hypothesis.entity}` },
    ]);
  }
  if (ranked.length > shownHypotheses) {
    lines.push([{ text: `  … ${ranked.length - shownHypotheses} more`, style: 'dim' }]);
  }
  if (state.limits && state.used) {
    const { toolCalls } = state.used;
    const limit = state.limits.toolCalls;
    lines.push([
      { text: '  tool calls ' },
      { text: bar(limit > 0 ? toolCalls / limit : 1, 20), style: toolCalls >= limit ? 'red' : 'cyan' },
      {
        text: ` ${toolCalls}/${limit}  evidence ${state.evidence}  failed checks ${state.checks.failed}`,
      },
    ]);
  }
  if (state.ending) {
    lines.push([
      { text: '  ended ', style: 'bold' },
      { text: state.ending.kind, style: state.ending.kind === 'concluded' ? 'green' : 'yellow' },
      { text: `: ${state.ending.reason}` },
    ]);
  } else if (state.check) {
    const about = state.check.hypothesis ? ` for ${state.check.hypothesis}` : '';
    lines.push([
      { text: '  checking ', style: 'dim' },
      { text: `#${state.check.step} ${state.check.tool}${about}` },
    ]);
  }
  return lines.map((segments) => fitLine(segments, columns, color));
}

/** Options of {@link createLiveView}. */
export interface LiveViewOptions {
  /** Writes to the terminal. */
  write: (text: string) => void;
  /** The terminal width. */
  columns: number;
  /** A monotonic clock, milliseconds, to limit how often the view is redrawn. */
  now: () => number;
  /** The least time between redraws, milliseconds (default 50). */
  intervalMs?: number;
}

/** A live view of an investigation, redrawn in place on a terminal. */
export interface LiveView {
  /** Follows an investigator's events. */
  attach(events: InvestigationEmitter): void;
  /** Draws the last state and gives the cursor back (also done on `investigation:ended`). */
  finish(): void;
}

/**
 * Creates a live view: the hypotheses with their confidences as bars, the tool-call budget and the current
 * check, redrawn in place with plain ANSI escape codes (no dependencies) as events arrive.
 *
 * @param options - where to draw, how wide, and the clock that paces redraws
 */
export function createLiveView(options: LiveViewOptions): LiveView {
  const intervalMs = options.intervalMs ?? 50;
  const state: LiveViewState = {
    title: 'starting…',
    hypotheses: new Map(),
    limits: undefined,
    used: undefined,
    check: undefined,
    checks: { ended: 0, failed: 0 },
    evidence: 0,
    ending: undefined,
  };
  let drawnLines = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const draw = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    lastDraw = options.now();
    const lines = renderLiveView(state, options.columns, true);
    const rewind = drawnLines > 0 ? `\x1b[${drawnLines}F\x1b[J` : '\x1b[?25l';
    options.write(`${rewind}${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };
  const schedule = () => {
    if (finished) return;
    if (options.now() - lastDraw >= intervalMs) draw();
    else if (!timer) {
      timer = setTimeout(() => {
        if (!finished) draw();
      }, intervalMs);
      timer.unref?.();
    }
  };
  const finish = () => {
    if (finished) return;
    draw();
    finished = true;
    options.write('\x1b[?25h');
  };

  return {
    attach(events) {
      events.on('investigation:started', (event) => {
        const alert = event.trigger.labels.alertname ?? event.trigger.summary;
        state.title = `investigating ${alert} on ${event.trigger.entity} (${event.trigger.severity})`;
        state.limits = event.limits;
        state.used = { wallTimeMs: 0, toolCalls: 0, modelTokens: 0, costUsd: 0 };
        schedule();
      });
      const keep = (event: { hypothesis: Hypothesis }) => {
        state.hypotheses.set(event.hypothesis.id, event.hypothesis);
        schedule();
      };
      events.on('hypothesis:added', keep);
      events.on('hypothesis:updated', keep);
      events.on('check:started', (event) => {
        state.check = {
          step: event.step,
          tool: event.tool,
          ...(event.hypothesis ? { hypothesis: event.hypothesis } : {}),
        };
        schedule();
      });
      events.on('check:ended', (event) => {
        state.checks.ended += 1;
        if (event.step.error) state.checks.failed += 1;
        if (state.check?.step === event.step.id) state.check = undefined;
        schedule();
      });
      events.on('evidence:added', () => {
        state.evidence += 1;
        schedule();
      });
      events.on('budget:charged', (event) => {
        state.used = event.used;
        state.limits = event.limits;
        schedule();
      });
      events.on('investigation:ended', (event) => {
        state.ending = event.report.ending;
        state.used = event.report.budget.used;
        finish();
      });
    },
    finish,
  };
}
