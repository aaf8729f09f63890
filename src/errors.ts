// Errors that map to the exit codes of design.md. Anything else is an internal error (5).
export class InputError extends Error {
  readonly exitCode = 4;
}
export class PreflightError extends Error {
  readonly exitCode = 3;
}
