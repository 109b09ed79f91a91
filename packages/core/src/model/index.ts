/**
 * Provider utilities shared by the model adapters (`@aisre/llm-*`): HTTP with retries and timeouts,
 * zod to JSON Schema, structured-reply validation with one repair attempt, prices, budget reservation
 * and secret redaction.
 *
 * @module
 */
export * from './json-schema';
export * from './model-budget';
export * from './model-prices';
export * from './model-usage';
export * from './post-json';
export * from './provider-settings';
export * from './redact-secrets';
export * from './retry-with-backoff';
export * from './structured-reply';
