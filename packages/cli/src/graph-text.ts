import type { Criticality, DependencyHit } from '@aisre/graph';
import type { EntitySummary, GraphBuildSummary, GraphDiffSummary, KindCounts } from './graph-summaries';

function counts(label: string, kinds: KindCounts): string {
  const parts = Object.entries(kinds.byKind).map(([kind, count]) => `${kind} ${count}`);
  return `${label}: ${kinds.total}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

function criticalityLine(criticality: Criticality): string {
  const tier = criticality.tier === undefined ? 'tier unknown' : `tier ${criticality.tier}`;
  return `${criticality.score.toFixed(2)} (${tier}, ${criticality.dependents} dependents, ${Math.round(criticality.traffic)} rps)`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The text `aisre graph build` prints.
 *
 * @param summary - the build summary
 */
export function renderBuildText(summary: GraphBuildSummary): string {
  const lines: string[] = [];
  for (const file of summary.files) {
    lines.push(
      `${file.file}: ${file.ingested} ingested${file.skipped.length > 0 ? `, ${file.skipped.length} skipped` : ''}${file.errors.length > 0 ? `, ${plural(file.errors.length, 'error')}` : ''}`,
    );
    for (const skipped of file.skipped) {
      const what = [skipped.kind, skipped.name].filter(Boolean).join(' ');
      lines.push(`  skipped document ${skipped.documentIndex}${what ? ` (${what})` : ''}: ${skipped.reason}`);
    }
    for (const error of file.errors) lines.push(`  error: ${error.message}`);
  }
  if (summary.scenario)
    lines.push(`scenario ${summary.scenario}: its system scanned through the mock connector`);
  lines.push(counts('nodes', summary.nodes), counts('edges', summary.edges));
  if (summary.critical.length > 0) {
    lines.push('most critical:');
    for (const criticality of summary.critical)
      lines.push(`  ${criticality.ref}  ${criticalityLine(criticality)}`);
  }
  return `${lines.join('\n')}\n`;
}

function hitLines(hits: readonly DependencyHit[]): string[] {
  if (hits.length === 0) return ['  none known'];
  return [...hits]
    .sort((left, right) => left.depth - right.depth || left.ref.localeCompare(right.ref))
    .map(
      (hit) => `  ${hit.depth}  ${hit.ref}  via ${hit.via} from ${hit.from} (${hit.confidence.toFixed(2)})`,
    );
}

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The text `aisre graph show` prints.
 *
 * @param summary - what the graph knows about the entity
 * @param depth - the depth the traversals used
 */
export function renderEntityText(summary: EntitySummary, depth: number): string {
  const { entity } = summary;
  const attributes = Object.entries(entity.attributes).map(([name, value]) => `${name}=${valueText(value)}`);
  const lines = [
    `${entity.ref} (${entity.kind}), confidence ${entity.confidence.toFixed(2)}, from ${entity.sources.join(', ') || 'nowhere'}`,
    `attributes: ${attributes.length > 0 ? attributes.join(', ') : 'none'}`,
    `criticality: ${criticalityLine(summary.criticality)}`,
    `depends on (to depth ${depth}; hops, entity, last edge):`,
    ...hitLines(summary.dependencies),
    `depended on by, the blast radius (to depth ${depth}):`,
    ...hitLines(summary.dependents),
    'shares resources with:',
    ...(summary.peers.length > 0
      ? summary.peers.map((peer) => `  ${peer.ref}  (${peer.shared.join(', ')})`)
      : ['  none known']),
    'changes nearby (24 h):',
    ...(summary.changes.length > 0
      ? summary.changes.map(
          (change) =>
            `  ${change.at}  ${change.change} on ${change.entity} (${change.relation})${change.summary ? `: ${change.summary}` : ''}`,
        )
      : ['  none known']),
    'past incidents and failure patterns:',
    ...(summary.incidents.length + summary.failurePatterns.length > 0
      ? [
          ...summary.incidents.map(
            (incident) =>
              `  ${incident.incident} on ${incident.entity}${incident.remediations.length > 0 ? `, mitigated by ${incident.remediations.join(', ')}` : ''}`,
          ),
          ...summary.failurePatterns.map((pattern) => `  ${pattern.pattern} (${pattern.reason})`),
        ]
      : ['  none known']),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The text `aisre graph diff` prints.
 *
 * @param summary - the diff summary
 */
export function renderDiffText(summary: GraphDiffSummary): string {
  const lines: string[] = [];
  for (const [label, side] of [
    ['nodes', summary.nodes],
    ['edges', summary.edges],
  ] as const) {
    lines.push(
      `${label}: ${side.added.length} added, ${side.removed.length} removed, ${side.changed.length} changed`,
    );
    for (const subject of side.added) lines.push(`  + ${subject}`);
    for (const subject of side.removed) lines.push(`  - ${subject}`);
    for (const subject of side.changed) lines.push(`  ~ ${subject}`);
  }
  return `${lines.join('\n')}\n`;
}
