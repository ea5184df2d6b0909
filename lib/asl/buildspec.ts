import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { scanTemplate } from '../expressions';
import type { Expr, RunStep } from '../model/workflow';

/** Prefix of the environment variables that carry a script's expression values. */
export const EXPRESSION_ENV_PREFIX = 'STEPDEPLOY_EXPR_';

/** The exported CodeBuild variable that carries the step's `$STEPDEPLOY_OUTPUT` file, base64-encoded. */
export const OUTPUTS_VARIABLE = 'STEPDEPLOY_OUTPUTS';

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
  for (const part of scanTemplate(script)) {
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    const source = part.source.trim();
    let name = bySource.get(source);
    if (name === undefined) {
      name = `${EXPRESSION_ENV_PREFIX}${bySource.size + 1}`;
      bySource.set(source, name);
      expressions[name] = `\${{ ${source} }}`;
    }
    text += `\${${name}}`;
  }
  return { script: text, expressions };
}

/**
 * The CodeBuild buildspec of a `run` step. The script runs under
 * `bash --noprofile --norc -eo pipefail` (GitHub's `shell: bash`) from a quoted heredoc, so the
 * shell that reads the buildspec expands nothing inside it; the step's outputs file is exported
 * base64-encoded so that any bytes survive.
 */
export function renderBuildspec(step: RunStep, script: string): string {
  const delimiter = `STEPDEPLOY_SCRIPT_${createHash('sha256').update(script).digest('hex').slice(0, 12)}`;
  const cd = step.workingDirectory === undefined ? '' : `cd ${shellQuote(step.workingDirectory)}\n`;
  const command =
    `export STEPDEPLOY_OUTPUT="$(mktemp)"\n` +
    cd +
    `bash --noprofile --norc -eo pipefail <<'${delimiter}'\n` +
    `${script.endsWith('\n') ? script : `${script}\n`}` +
    `${delimiter}\n` +
    `STEPDEPLOY_STATUS=$?\n` +
    // Never empty: CodeBuild may leave an empty variable out, and the state reads [0].Value.
    `echo >> "$STEPDEPLOY_OUTPUT"\n` +
    `export ${OUTPUTS_VARIABLE}="$(base64 -w0 < "$STEPDEPLOY_OUTPUT")"\n` +
    // CodeBuild judges a multi-line command by its last line only: end with the script's own status.
    `(exit "$STEPDEPLOY_STATUS")\n`;
  return stringify(
    {
      version: 0.2,
      env: { shell: 'bash', 'exported-variables': [OUTPUTS_VARIABLE] },
      phases: { build: { commands: [command] } },
    },
    { lineWidth: 0 },
  );
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
