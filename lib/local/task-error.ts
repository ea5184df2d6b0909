// How a local task handler fails: the library takes `name` as the ASL error (what Retry and Catch
// match) and `message` as the cause.

export class TaskError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}
