// What the progress view prints off a terminal for the fixture histories (test/fixtures/histories).

/** fail-fast-cancelled: three cells, one fails, one is cancelled with it. */
export const failFastCancelledLines = [
  '[  0.1s] deploy (region=eu-west-1) queued',
  '[  0.1s] deploy (region=us-east-1) queued',
  '[  0.1s] deploy (region=ap-south-1) queued',
  '[  0.1s] deploy (region=eu-west-1) running',
  '[  0.1s] deploy (region=us-east-1) running',
  '[  0.1s] deploy (region=ap-south-1) running',
  '[  1.1s] deploy (region=eu-west-1) succeeded in 1.0s',
  '[  2.2s] deploy (region=us-east-1) failed in 2.0s',
  '[  2.2s] deploy (region=ap-south-1) cancelled in 2.1s',
  'run failed in 2.3s: 1 succeeded, 1 failed, 1 cancelled',
  'failed: deploy › apply (region=us-east-1) (States.TaskFailed)',
] as const;
