// Where `secrets` and `vars` may be read. A secret's value must never enter the state machine's data
// (its execution history keeps every state's input and output), so a secret is never evaluated by the
// state machine: it reaches a step as a CodeBuild environment variable of type SECRETS_MANAGER. That
// is possible for exactly `${{ secrets.NAME }}` as a step's env value or inside its run script. Vars
// are not secret: the state machine reads them from Parameter Store, and they work everywhere.

import { scanTemplate, type ExprNode } from '../../expressions';
import { RULES_FILE } from '../environments';
import { namedContextReads, secretNamePattern, type NameRead } from '../secret-refs';
import type { CheckInput } from './check';
import type { ExpressionField } from './expression-fields';

type Report = (code: string, offset: number, message: string) => void;

const nameRule = 'letters, digits and _, not starting with a digit or GITHUB_';

/** Checks the secrets and vars one parsed expression of `field` reads. */
export function checkNamedContexts(ast: ExprNode, field: ExpressionField, input: CheckInput, report: Report): void {
  for (const read of namedContextReads(ast)) {
    if (read.name === undefined) {
      const noun = read.context === 'secrets' ? 'secret' : 'variable';
      const why = read.context === 'secrets' ? 'the runner is given exactly the secrets a job names' : 'the state machine reads exactly the parameters a workflow names';
      report('dynamic-name', read.node.start, `${read.context} must be read by a literal name (${read.context}.NAME), since ${why}; a computed ${noun} name cannot be`);
      continue;
    }
    if (!checkName(read, input, report)) continue;
    if (read.context === 'secrets') checkSecretPlace(ast, read, field, report);
  }
}

function checkName(read: NameRead, input: CheckInput, report: Report): boolean {
  const name = read.name ?? '';
  const written = `${read.context}.${name}`;
  if (read.context === 'secrets' && name.toUpperCase() === 'GITHUB_TOKEN') {
    if (input.workflow.githubToken) return true;
    report(
      'github-token',
      read.node.start,
      `${written}: stepdeploy has no GitHub token of its own; store one in AWS Secrets Manager as stepdeploy/${input.workflow.id}/GITHUB_TOKEN and set 'github-token: true' in ${RULES_FILE}`,
    );
    return false;
  }
  if (!secretNamePattern.test(name) || name.toUpperCase().startsWith('GITHUB_')) {
    const noun = read.context === 'secrets' ? 'secret' : 'variable';
    report('invalid-secret-name', read.node.start, `${written}: '${name}' is not a valid ${noun} name (${nameRule})`);
    return false;
  }
  return true;
}

function checkSecretPlace(ast: ExprNode, read: NameRead, field: ExpressionField, report: Report): void {
  const written = `secrets.${read.name ?? ''}`;
  if (field.condition) {
    report('secret-not-allowed', read.node.start, `secrets cannot be used in if: conditions (as on GitHub); pass the secret to a step's env and test it in the script`);
    return;
  }
  if (field.place !== 'step' || field.role === undefined) {
    const where = field.place === 'step' ? "this step field is evaluated by the state machine" : field.role === 'env' ? `a ${field.place === 'workflow' ? "workflow's" : "job's"} env is evaluated by the state machine` : 'this field is evaluated by the state machine';
    report(
      'secret-not-allowed',
      read.node.start,
      `${written} can only be read by a step's env or run script: ${where}, and a secret's value must never enter its execution history`,
    );
    return;
  }
  const alone = ast === read.node && (field.role === 'run' || isLoneExpression(field.text));
  if (!alone) {
    const hint = field.role === 'env' ? 'an env value that reads a secret must be exactly that expression (build longer values in the run script)' : 'use it alone, as its own ${{ }}';
    report(
      'secret-expression',
      read.node.start,
      `${written} must be used as \${{ ${written} }}: its value reaches the step as an environment variable from AWS Secrets Manager and is never evaluated; ${hint}`,
    );
  }
}

function isLoneExpression(text: string): boolean {
  const parts = scanTemplate(text);
  return parts.length === 1 && parts[0]?.kind === 'expr';
}
