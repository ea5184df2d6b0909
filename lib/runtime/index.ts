// What the runtime Lambdas run (`stepdeploy/runtime`), for callers that host the handlers
// themselves: every handler in lambdas/<name>/handler.ts is `createHandler(deps)` over these.
export { evaluateOp, type EvaluateEvent } from './evaluate';
export * from './coordination';
export type { HandlerDeps, CreateHandler } from './deps';
