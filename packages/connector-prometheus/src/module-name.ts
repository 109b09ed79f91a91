/** The package name that starts every message. */
export const moduleName = 'connector-prometheus';
