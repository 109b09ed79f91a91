import { createReplayConnector, type PetShopCase, petShopPatterns } from '@aisre/connector-replay';
import { createInvestigator, createManualClock, type Report } from '@aisre/core';

/**
 * Investigates one PetShop case with the same engine code path as a live investigation: `createInvestigator`
 * with a replay connector as of the trigger's time, the generic PetShop-mapping patterns, a lookback that
 * covers the case's data and a depth that reaches the whole call graph.
 *
 * @param petShopCase - the case (recording, trigger, as-of time)
 * @param options - how many checks run at once
 */
export function investigatePetShopCase(
  petShopCase: PetShopCase,
  options: { concurrency?: number } = {},
): Promise<Report> {
  const connector = createReplayConnector({
    recording: petShopCase.recording,
    now: petShopCase.asOf,
    name: 'petshop-replay',
  });
  const firstPoint = Math.min(
    ...petShopCase.recording.series.flatMap((series) => series.points.slice(0, 1).map(([at]) => at)),
  );
  const lookbackMs = Number.isFinite(firstPoint)
    ? Math.max(petShopCase.asOf - firstPoint, 0) + 60_000
    : 3_600_000;
  const investigator = createInvestigator({
    connectors: [connector],
    clock: createManualClock(petShopCase.asOf),
    patterns: [...petShopPatterns],
    lookbackMs,
    depth: 8,
    budget: { toolCalls: 400 },
    keepOutputs: false,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  return investigator.investigate(petShopCase.trigger, { asOf: petShopCase.asOf });
}
