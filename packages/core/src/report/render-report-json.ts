import type { Report } from '../contracts/report';

/**
 * How to order the keys of one kind of object: the listed keys first, in that order, then any others
 * sorted; `nested` says how to lay out the values of some keys. Values without a layout are free-form
 * (labels, payloads, tool inputs and outputs, excerpts): their keys are sorted at every depth.
 */
interface Layout {
  keys: readonly string[];
  nested?: Readonly<Record<string, Layout>>;
}

const actionLayout: Layout = { keys: ['type', 'target', 'parameters'] };

const causeLayout: Layout = { keys: ['entity', 'fault', 'confidence', 'statement', 'citations'] };

const budgetLimitsLayout: Layout = { keys: ['wallTimeMs', 'toolCalls', 'modelTokens', 'costUsd'] };

const reportLayout: Layout = {
  keys: [
    'version',
    'id',
    'trigger',
    'startedAt',
    'endedAt',
    'ending',
    'conclusion',
    'alternatives',
    'unknownRemainder',
    'evidence',
    'steps',
    'explored',
    'unchecked',
    'budget',
    'proposals',
  ],
  nested: {
    trigger: {
      keys: [
        'id',
        'source',
        'kind',
        'entity',
        'severity',
        'at',
        'summary',
        'status',
        'fingerprint',
        'labels',
        'payload',
      ],
    },
    ending: { keys: ['kind', 'reason'] },
    conclusion: causeLayout,
    alternatives: causeLayout,
    evidence: {
      keys: ['id', 'hypothesis', 'check', 'verdict', 'weight', 'summary', 'excerpt', 'step'],
    },
    steps: {
      keys: [
        'id',
        'tool',
        'provider',
        'hypothesis',
        'input',
        'startedMs',
        'durationMs',
        'outputDigest',
        'error',
        'output',
      ],
      nested: { error: { keys: ['code', 'message'] } },
    },
    explored: { keys: ['hypothesis', 'entity', 'fault', 'status', 'posterior', 'reason'] },
    unchecked: { keys: ['what', 'why', 'step'] },
    budget: { keys: ['limits', 'used'], nested: { limits: budgetLimitsLayout, used: budgetLimitsLayout } },
    proposals: {
      keys: ['id', 'title', 'fault', 'risk', 'action', 'rollback', 'rationale', 'citations'],
      nested: { action: actionLayout, rollback: actionLayout },
    },
  },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrange(value: unknown, layout: Layout | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => arrange(item, layout));
  if (!isPlainObject(value)) return value;
  const listed = layout?.keys ?? [];
  const others = Object.keys(value)
    .filter((key) => !listed.includes(key))
    .sort();
  const arranged: Record<string, unknown> = {};
  for (const key of [...listed, ...others]) {
    if (!(key in value) || value[key] === undefined) continue;
    arranged[key] = arrange(value[key], layout?.nested?.[key]);
  }
  return arranged;
}

/**
 * Renders a report as JSON with a stable key order: the fields of each contract object in the order the
 * contract declares them (`version`, `id`, `trigger`, …), free-form maps (labels, payloads, tool inputs
 * and outputs, excerpts) with their keys sorted, two-space indentation. The same report always renders
 * the same text, so reports can be diffed and stored as golden files. {@link parseReport} reads it back.
 *
 * @param report - the report to render
 * @returns the JSON text, without a trailing newline
 */
export function renderReportJson(report: Report): string {
  return JSON.stringify(arrange(report, reportLayout), null, 2);
}
