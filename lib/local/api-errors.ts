// An error of the Step Functions API: `code` is the AWS error type (`ExecutionDoesNotExist`), sent
// as `__type` with status 400 so that SDK clients raise the same exception class as against AWS.

export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}
