/** A history that cannot make a report: not started, not ended yet, or malformed. */
export class ReportError extends Error {
  override readonly name = 'ReportError';
}
