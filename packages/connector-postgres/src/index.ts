/**
 * @aisre/connector-postgres: PostgreSQL activity, locks and blocking chains, database statistics, settings and connection use; idle-in-transaction actuator
 *
 * @module
 */
export {};
