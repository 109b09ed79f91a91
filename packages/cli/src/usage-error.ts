import { InvalidInputError } from '@aisre/core';

/** A wrong command line: an unknown command or flag, a missing or bad value. `main` exits with code 2. */
export class UsageError extends InvalidInputError {
  /** The command it concerns (`investigate`), or undefined for the top level. */
  readonly command: string | undefined;

  /**
   * @param message - what is wrong, starting with `aisre` or `aisre <command>`
   * @param command - the command it concerns
   */
  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
