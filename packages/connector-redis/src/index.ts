/**
 * `@aisre/connector-redis`: a Redis server's INFO, SLOWLOG, LATENCY, CONFIG, CLIENT LIST and MEMORY STATS as
 * metrics (named as redis_exporter names them), logs and model-callable tools, and an actuator for
 * `redis.config-set` actions on an allowlist of parameters.
 *
 * @module
 */
export { type ConfigParameterRule, configSetRules, evictionPolicies } from './config-parameters';
export { createRedisConnector } from './redis-connector';
export type {
  RedisClient,
  RedisClientFactory,
  RedisConnector,
  RedisConnectorOptions,
  SlowlogArgumentMode,
} from './types';
