// Ranges of numeric settings and where they come from.

/** timeout-minutes: 1 minute up to one year, the longest a Step Functions Standard execution or task may run. */
export const timeoutRange = {
  min: 1,
  max: 525_600,
  wholeNumber: true,
  code: 'timeout-out-of-range',
  rule: 'timeout-minutes must be a whole number of minutes from 1 to 525600 (one year, the longest a Step Functions task may run)',
} as const;

/** retry → ASL Retry: MaxAttempts 0..99, IntervalSeconds 1..99999999, BackoffRate ≥ 1.0. */
export const retryRanges = {
  'max-attempts': { min: 1, max: 100, wholeNumber: true, code: 'retry-out-of-range', rule: 'max-attempts counts every attempt, the first included: a whole number from 1 to 100 (Step Functions MaxAttempts 0 to 99)' },
  'interval-seconds': { min: 1, max: 99_999_999, wholeNumber: true, code: 'retry-out-of-range', rule: 'interval-seconds must be a whole number from 1 to 99999999 (Step Functions IntervalSeconds)' },
  'backoff-rate': { min: 1, max: Number.MAX_VALUE, wholeNumber: false, code: 'retry-out-of-range', rule: 'backoff-rate must be at least 1.0 (Step Functions BackoffRate)' },
} as const;

/** ASL's defaults for the fields a retry leaves out. */
export const retryDefaults = { maxAttempts: 3, intervalSeconds: 1, backoffRate: 2 } as const;

/** GitHub's default job timeout. */
export const DEFAULT_JOB_TIMEOUT_MINUTES = 360;
