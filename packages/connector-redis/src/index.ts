/**
 * @aisre/connector-redis: Redis INFO, SLOWLOG, LATENCY, CONFIG, CLIENT LIST and MEMORY STATS as metrics, logs and tools; CONFIG SET actuator
 *
 * @module
 */
export {};
