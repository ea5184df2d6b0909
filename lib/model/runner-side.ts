// Which expressions the job cell's runner evaluates: those that read a field only the runner knows
// (its folders, its name and machine: runnerOnlyRunnerFields; github's workspace and per-step files:
// githubRunnerFields). The evaluate function runs before the runner has taken the step, so it cannot
// give them; the runner can, since it has the run's github context and its own runner context — and
// nothing else, so such an expression may read only those two (validate/expressions.ts says so).

import { hasExpression, parseExpression, scanTemplate, type ExprNode } from '../expressions';
import { githubRunnerFields, runnerOnlyRunnerFields } from './github-context';

/** One read of a runner-only field: `runner.temp`, `github.workspace`, or `runner` as a whole. */
export interface RunnerOnlyRead {
  readonly context: 'runner' | 'github';
  /** Undefined: the whole context (`toJSON(runner)`). */
  readonly member?: string;
  /** Offset in the expression's source. */
  readonly start: number;
}

/** The contexts a runner-evaluated expression may read. */
export const runnerSideContexts: readonly string[] = ['github', 'runner'];

const runnerOnly = (context: string, member: string): boolean => {
  const lower = member.toLowerCase();
  const fields = context === 'runner' ? runnerOnlyRunnerFields : context === 'github' ? githubRunnerFields : [];
  return fields.includes(lower);
};

/** Every read of a runner-only field in one parsed expression. */
export function runnerOnlyReads(node: ExprNode): RunnerOnlyRead[] {
  const reads: RunnerOnlyRead[] = [];
  const visit = (current: ExprNode): void => {
    switch (current.kind) {
      case 'literal':
        return;
      case 'context':
        if (current.name.toLowerCase() === 'runner') reads.push({ context: 'runner', start: current.start });
        return;
      case 'property':
      case 'index': {
        const object = current.object;
        const member = current.kind === 'property' ? current.name : current.index.kind === 'literal' && typeof current.index.value === 'string' ? current.index.value : undefined;
        if (current.kind === 'index') visit(current.index);
        if (object.kind === 'context' && member !== undefined) {
          const context = object.name.toLowerCase();
          if ((context === 'runner' || context === 'github') && runnerOnly(context, member)) reads.push({ context, member, start: current.start });
          return;
        }
        return visit(object);
      }
      case 'filter':
        return visit(current.object);
      case 'not':
        return visit(current.operand);
      case 'comparison':
        visit(current.left);
        return visit(current.right);
      case 'logical':
        return current.operands.forEach(visit);
      case 'call':
        return current.args.forEach(visit);
    }
  };
  visit(node);
  return reads;
}

/** Whether the runner evaluates this template (it reads a runner-only field); a template that does not parse is not. */
export function readsRunnerOnlyField(template: string): boolean {
  if (!hasExpression(template)) return false;
  try {
    return scanTemplate(template).some((part) => part.kind === 'expr' && runnerOnlyReads(parseExpression(part.source)).length > 0);
  } catch {
    return false;
  }
}
