/** An error the CLI reports in one line without a stack trace; `exitCode` 2 means the command was misused. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
