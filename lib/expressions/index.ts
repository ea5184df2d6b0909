// The expression language (`${{ }}`): one implementation for the validator, the runtime Lambdas
// and the local engine.

export type {
  CallNode,
  ComparisonNode,
  ComparisonOperator,
  ContextNode,
  ExprNode,
  FilterNode,
  IndexNode,
  LiteralNode,
  LiteralValue,
  LogicalNode,
  NotNode,
  PropertyNode,
} from './ast';
export { ExpressionError } from './error';
export { parseExpression, MAX_DEPTH } from './parser';
export { scanTemplate, hasExpression, parseTemplate, evaluateTemplate, literalTemplateValue, isLoneExpression, type TemplatePart } from './template';
export { evaluate, type EvalContext } from './evaluate';
export { parseCondition, evaluateCondition, callsStatusFunction, isStringCondition, runsOnCancel } from './condition';
export { referencedContexts, type References } from './references';
export { isTruthy, toDisplayString, toNumber, looseEquals } from './coerce';
export { functionNames, type FunctionName, type StatusFunctionName } from './functions/catalog';
export type { JobStatus } from './functions/call';
