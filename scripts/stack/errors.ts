// A stack failure the user can act on: printed as its one sentence, never as a stack trace.
// exitCode 3 = the environment or a component is not usable, 4 = bad input (arguments, port overrides).
export class StackError extends Error {
  constructor(message: string, readonly exitCode: number = 3) {
    super(message);
  }
}
