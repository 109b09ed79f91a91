/**
 * The error family of the SDK. Every error the SDK throws or reports is an {@link AisreError}
 * with a stable {@link AisreErrorCode}; subclasses say which kind of failure it was.
 *
 * `isInstance` works across copies of the module (two versions of `@aisre/core` in one process,
 * ESM beside CJS) because it checks a `Symbol.for` marker rather than the prototype chain.
 *
 * @module
 */

/** The stable machine-readable code of an {@link AisreError}. */
export type AisreErrorCode =
  | 'invalid-input'
  | 'connector'
  | 'model'
  | 'budget-exceeded'
  | 'policy-denied'
  | 'cancelled'
  | 'timeout'
  | 'not-found'
  | 'internal';

/** Options shared by every error of the family. */
export interface AisreErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown;
}

const rootMarker = 'aisre.error';

function hasMarker(value: unknown, marker: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[Symbol.for(marker)] === true
  );
}

function brand(target: object, marker: string): void {
  Object.defineProperty(target, Symbol.for(marker), { value: true, enumerable: false });
}

/**
 * The root of the error family. Messages start with the module that raised them
 * (`connector-prometheus: query failed: …`) and say what to do.
 */
export class AisreError extends Error {
  /** A stable code for programs to branch on. */
  readonly code: AisreErrorCode;

  /**
   * @param code - the stable code of the failure
   * @param message - a sentence that starts with the module and says what to do
   * @param options - the cause, when there is one
   */
  constructor(code: AisreErrorCode, message: string, options: AisreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AisreError';
    this.code = code;
    brand(this, rootMarker);
  }

  /** True when `value` is an {@link AisreError} from any copy of this module. */
  static isInstance(value: unknown): value is AisreError {
    return hasMarker(value, rootMarker);
  }

  /** A plain JSON form (code, name, message), safe to put in a report or a step. */
  toJSON(): { name: string; code: AisreErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

const connectorMarker = 'aisre.error.connector';

/** A connector or tool failed: the system it talks to was down, refused, timed out or answered nonsense. */
export class ConnectorError extends AisreError {
  /** The connector that failed. */
  readonly connector: string;
  /** True when the same call may succeed if tried again later. */
  readonly isRetryable: boolean;

  /**
   * @param connector - the failing connector's name
   * @param message - what failed and what to do
   * @param options - retryability and cause
   */
  constructor(
    connector: string,
    message: string,
    options: AisreErrorOptions & { isRetryable?: boolean } = {},
  ) {
    super('connector', message, options);
    this.name = 'ConnectorError';
    this.connector = connector;
    this.isRetryable = options.isRetryable ?? false;
    brand(this, connectorMarker);
  }

  /** True when `value` is a {@link ConnectorError} from any copy of this module. */
  static override isInstance(value: unknown): value is ConnectorError {
    return hasMarker(value, connectorMarker);
  }
}

const modelMarker = 'aisre.error.model';

/** A language-model call failed (HTTP error, malformed reply, refusal). */
export class ModelError extends AisreError {
  /** True when the call may succeed if retried (429, 5xx, network errors). */
  readonly isRetryable: boolean;
  /** The HTTP status, when the failure came from an HTTP answer. */
  readonly status: number | undefined;

  /**
   * @param message - what failed and what to do
   * @param options - retryability, HTTP status and cause
   */
  constructor(message: string, options: AisreErrorOptions & { isRetryable?: boolean; status?: number } = {}) {
    super('model', message, options);
    this.name = 'ModelError';
    this.isRetryable = options.isRetryable ?? false;
    this.status = options.status;
    brand(this, modelMarker);
  }

  /** True when `value` is a {@link ModelError} from any copy of this module. */
  static override isInstance(value: unknown): value is ModelError {
    return hasMarker(value, modelMarker);
  }
}

const budgetMarker = 'aisre.error.budget-exceeded';

/** The limit of a budget that a charge would have crossed. */
export type BudgetLimitName = 'wallTimeMs' | 'toolCalls' | 'modelTokens' | 'costUsd';

/** A charge was refused because it would exceed a budget limit. Nothing was run. */
export class BudgetExceededError extends AisreError {
  /** Which limit would have been exceeded. */
  readonly limit: BudgetLimitName;

  /**
   * @param limit - the limit that refused the charge
   * @param message - what was refused
   */
  constructor(limit: BudgetLimitName, message: string) {
    super('budget-exceeded', message);
    this.name = 'BudgetExceededError';
    this.limit = limit;
    brand(this, budgetMarker);
  }

  /** True when `value` is a {@link BudgetExceededError} from any copy of this module. */
  static override isInstance(value: unknown): value is BudgetExceededError {
    return hasMarker(value, budgetMarker);
  }
}

const policyMarker = 'aisre.error.policy-denied';

/** A remediation was not allowed by policy, or its approval was denied or timed out. */
export class PolicyDeniedError extends AisreError {
  /** The environment whose policy denied the action. */
  readonly environment: string;
  /** The id of the rule that decided, when a rule matched (absent: the default deny). */
  readonly rule: string | undefined;

  /**
   * @param environment - the environment the action was meant for
   * @param message - why it was denied
   * @param options - the deciding rule and cause
   */
  constructor(environment: string, message: string, options: AisreErrorOptions & { rule?: string } = {}) {
    super('policy-denied', message, options);
    this.name = 'PolicyDeniedError';
    this.environment = environment;
    this.rule = options.rule;
    brand(this, policyMarker);
  }

  /** True when `value` is a {@link PolicyDeniedError} from any copy of this module. */
  static override isInstance(value: unknown): value is PolicyDeniedError {
    return hasMarker(value, policyMarker);
  }
}

const invalidInputMarker = 'aisre.error.invalid-input';

/** One problem found in an input: where it is and what is wrong. */
export interface InputIssue {
  /** The path of the offending field, e.g. `["topology", "services", 2, "kind"]`. */
  path: (string | number)[];
  /** What is wrong with it. */
  message: string;
}

/** Bad input (a malformed webhook, manifest, scenario, model reply or tool result). */
export class InvalidInputError extends AisreError {
  /** Every problem found, each with its field path. */
  readonly issues: InputIssue[];

  /**
   * @param message - what input was bad and what to do
   * @param options - the issues found and the cause
   */
  constructor(message: string, options: AisreErrorOptions & { issues?: InputIssue[] } = {}) {
    super('invalid-input', message, options);
    this.name = 'InvalidInputError';
    this.issues = options.issues ?? [];
    brand(this, invalidInputMarker);
  }

  /** True when `value` is an {@link InvalidInputError} from any copy of this module. */
  static override isInstance(value: unknown): value is InvalidInputError {
    return hasMarker(value, invalidInputMarker);
  }
}

const cancelledMarker = 'aisre.error.cancelled';

/** The work was cancelled through its `AbortSignal` (or timed out, with code `timeout`). */
export class CancelledError extends AisreError {
  /**
   * @param message - what was cancelled
   * @param options - `timeout: true` when a deadline, not a caller, cancelled it
   */
  constructor(message: string, options: AisreErrorOptions & { timeout?: boolean } = {}) {
    super(options.timeout ? 'timeout' : 'cancelled', message, options);
    this.name = 'CancelledError';
    brand(this, cancelledMarker);
  }

  /** True when `value` is a {@link CancelledError} from any copy of this module. */
  static override isInstance(value: unknown): value is CancelledError {
    return hasMarker(value, cancelledMarker);
  }
}
