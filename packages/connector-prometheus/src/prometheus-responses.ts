/**
 * Minimal, tolerant schemas of the `data` of the Prometheus HTTP API answers the connector reads (the fields
 * it uses; extra ones, as VictoriaMetrics' `stats`, pass through).
 */
import { z } from 'zod';

/** A sample value as the API sends it: `[unix seconds, "value"]`. */
const sampleSchema = z.tuple([z.number(), z.string()]);

const labelsSchema = z.record(z.string(), z.string());

/** An instant-vector element. */
export const vectorSampleSchema = z.looseObject({ metric: labelsSchema, value: sampleSchema });

/** A range-vector (matrix) element. */
export const matrixSeriesSchema = z.looseObject({ metric: labelsSchema, values: z.array(sampleSchema) });

/** The `data` of `/api/v1/query`. */
export const instantQueryDataSchema = z.discriminatedUnion('resultType', [
  z.looseObject({ resultType: z.literal('vector'), result: z.array(vectorSampleSchema) }),
  z.looseObject({ resultType: z.literal('matrix'), result: z.array(matrixSeriesSchema) }),
  z.looseObject({ resultType: z.literal('scalar'), result: sampleSchema }),
  z.looseObject({ resultType: z.literal('string'), result: sampleSchema }),
]);

/** The `data` of `/api/v1/query_range`. */
export const rangeQueryDataSchema = z.looseObject({
  resultType: z.literal('matrix'),
  result: z.array(matrixSeriesSchema),
});

/** The `data` of `/api/v1/series`: label sets. */
export const seriesDataSchema = z.array(labelsSchema);

/** The `data` of `/api/v1/labels` and `/api/v1/label/NAME/values`. */
export const stringListDataSchema = z.array(z.string());

/** The `data` of `/api/v1/metadata`: per metric, what its exporters say (VictoriaMetrics may answer `{}`). */
export const metadataDataSchema = z.record(
  z.string(),
  z.array(z.looseObject({ type: z.string(), help: z.string().optional(), unit: z.string().optional() })),
);

const alertSchema = z.looseObject({
  labels: labelsSchema,
  annotations: labelsSchema.optional(),
  state: z.string(),
  activeAt: z.string().optional(),
  value: z.string().optional(),
});

/** The `data` of `/api/v1/alerts`. */
export const alertsDataSchema = z.looseObject({ alerts: z.array(alertSchema) });

const ruleSchema = z.looseObject({
  name: z.string(),
  query: z.string().optional(),
  type: z.string(),
  /** Alerting rules: the `for` duration, seconds. */
  duration: z.number().optional(),
  labels: labelsSchema.optional(),
  annotations: labelsSchema.optional(),
  alerts: z.array(alertSchema).optional(),
  state: z.string().optional(),
  health: z.string().optional(),
  lastError: z.string().optional(),
});

/** The `data` of `/api/v1/rules`. */
export const rulesDataSchema = z.looseObject({
  groups: z.array(
    z.looseObject({ name: z.string(), file: z.string().optional(), rules: z.array(ruleSchema) }),
  ),
});

/** The `data` of `/api/v1/targets`. */
export const targetsDataSchema = z.looseObject({
  activeTargets: z.array(
    z.looseObject({
      labels: labelsSchema,
      scrapePool: z.string().optional(),
      scrapeUrl: z.string().optional(),
      health: z.string(),
      lastError: z.string().optional(),
      lastScrape: z.string().optional(),
      scrapeInterval: z.string().optional(),
    }),
  ),
});

/** An instant-query answer. */
export type InstantQueryData = z.output<typeof instantQueryDataSchema>;
/** A matrix element. */
export type MatrixSeries = z.output<typeof matrixSeriesSchema>;
/** A Prometheus alert (of `/api/v1/alerts` or of a rule). */
export type PrometheusAlert = z.output<typeof alertSchema>;
/** A rule of `/api/v1/rules`. */
export type PrometheusRule = z.output<typeof ruleSchema>;
/** The metadata answer. */
export type MetadataData = z.output<typeof metadataDataSchema>;
