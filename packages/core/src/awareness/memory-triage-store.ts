import type { PatternStatistics, SituationRecord, TriageStore } from './types';

/** What a triage store holds, as plain data (the JSON file's content). */
export interface TriageStoreContent {
  /** Pattern statistics by key. */
  patterns: Record<string, PatternStatistics>;
  /** Situation records by id. */
  situations: Record<string, SituationRecord>;
}

/**
 * A {@link TriageStore} in memory: what it learns lasts as long as the process. Values are copied in and out.
 *
 * @param initial - content to start from
 */
export function createMemoryTriageStore(initial: Partial<TriageStoreContent> = {}): TriageStore {
  const content: TriageStoreContent = {
    patterns: structuredClone(initial.patterns ?? {}),
    situations: structuredClone(initial.situations ?? {}),
  };
  return triageStoreOver(
    () => Promise.resolve(content),
    () => Promise.resolve(),
  );
}

/**
 * A {@link TriageStore} over content loaded by `load`, calling `persist` after every write.
 *
 * @param load - gives the content (loaded once by the caller, then shared)
 * @param persist - saves the content after a change
 */
export function triageStoreOver(
  load: () => Promise<TriageStoreContent>,
  persist: (content: TriageStoreContent) => Promise<void>,
): TriageStore {
  return {
    async readPattern(key) {
      const stats = (await load()).patterns[key];
      return stats ? structuredClone(stats) : undefined;
    },
    async writePattern(statistics) {
      const content = await load();
      content.patterns[statistics.key] = structuredClone(statistics);
      await persist(content);
    },
    async listPatterns() {
      const content = await load();
      return Object.keys(content.patterns)
        .sort()
        .map((key) => structuredClone(content.patterns[key] as PatternStatistics));
    },
    async readSituation(id) {
      const record = (await load()).situations[id];
      return record ? structuredClone(record) : undefined;
    },
    async writeSituation(record) {
      const content = await load();
      content.situations[record.id] = structuredClone(record);
      await persist(content);
    },
  };
}
