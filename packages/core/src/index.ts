/**
 * `@aisre/core`: the contracts of the SDK (types plus zod schemas), the error family, budgets, typed
 * events, and the investigation, awareness and resolution engines.
 *
 * @module
 */

export * from './awareness/index';
export * from './budget/budget';
export * from './budget/severity-budgets';
export * from './contracts/index';
export * from './errors/aisre-error';
export * from './errors/zod-issues';
export * from './events/investigation-events';
export * from './investigation/index';
export * from './model/index';
export * from './report/index';
export * from './resolution/index';
export * from './runtime/call-context';
export * from './runtime/metric-sampler';
