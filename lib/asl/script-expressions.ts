import { placeScriptExpressions } from '../model/shell-quoting';
import type { Expr, RunStep } from '../model/workflow';

/** Prefix of the environment variables that carry a script's expression values. */
export const EXPRESSION_ENV_PREFIX = 'STEPDEPLOY_EXPR_';

export interface LiftedScript {
  /** The script with every `${{ … }}` replaced by `${STEPDEPLOY_EXPR_<n>}`. */
  readonly script: string;
  /** Variable name → the expression it carries (evaluated at run time, passed as an env var). */
  readonly expressions: Readonly<Record<string, Expr>>;
}

/**
 * Lifts expressions out of a `run` script. Values reach the script only through the environment,
 * so an input like `"; rm -rf / #` is data to the shell, never code (the GitHub Actions injection
 * hazard). Equal expressions share one variable.
 */
export function liftScriptExpressions(script: string): LiftedScript {
  const expressions: Record<string, Expr> = {};
  const bySource = new Map<string, string>();
  let text = '';
  let at = 0;
  for (const placed of placeScriptExpressions(script)) {
    text += script.slice(at, placed.start);
    at = placed.end;
    const source = placed.source.trim();
    let name = bySource.get(source);
    if (name === undefined) {
      name = `${EXPRESSION_ENV_PREFIX}${bySource.size + 1}`;
      bySource.set(source, name);
      expressions[name] = `\${{ ${source} }}`;
    }
    if (placed.context === 'quoted-heredoc') {
      // The validator reports this (expression-in-quoted-heredoc); a workflow that reaches here is a bug.
      throw new Error(`\${{ ${source} }} sits in a heredoc with a quoted delimiter, where bash expands nothing`);
    }
    // Inside single quotes: step out, expand the variable in double quotes, step back in.
    text += placed.context === 'single-quoted' ? `'"\${${name}}"'` : `\${${name}}`;
  }
  return { script: text + script.slice(at), expressions };
}

/** The variable that carries an evaluated `working-directory` holding expressions. */
export const WORKING_DIRECTORY_VARIABLE = 'STEPDEPLOY_WORKING_DIRECTORY';

/**
 * A `working-directory` with expressions is evaluated by the step's prepare state and reaches the
 * runner as a variable of the step's env, like a script's expressions.
 */
export function liftWorkingDirectory(step: RunStep): { readonly expressions: Readonly<Record<string, Expr>> } {
  const directory = step.workingDirectory;
  if (directory === undefined || !directory.includes('${{')) return { expressions: {} };
  return { expressions: { [WORKING_DIRECTORY_VARIABLE]: directory } };
}
