/**
 * How the last state of a job-level Parallel branch ends: with the branch's needs map only. The run's
 * data beside it (inputs, the trigger event) is the same in every branch, and carrying it out of
 * each would multiply the largest part of the payload by the number of branches (256 KiB limit).
 */
export const BRANCH_END = { End: true as const, OutputPath: '$.needs' };
