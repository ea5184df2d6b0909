import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { placeScriptExpressions } from '../model/shell-quoting';
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
 * buildspec as a variable, like a script's expressions (never pasted into the buildspec).
 */
export function liftWorkingDirectory(step: RunStep): { readonly cd?: string; readonly expressions: Readonly<Record<string, Expr>> } {
  const directory = step.workingDirectory;
  if (directory === undefined) return { expressions: {} };
  if (directory.includes('${{')) return { cd: `"$${WORKING_DIRECTORY_VARIABLE}"`, expressions: { [WORKING_DIRECTORY_VARIABLE]: directory } };
  return { cd: shellQuote(directory), expressions: {} };
}

/**
 * Checks the step's `$STEPDEPLOY_OUTPUT` file as the evaluate function will read it
 * (lib/runtime/step-outputs.ts): `NAME=VALUE` lines, `NAME<<DELIMITER` blocks, blank lines. A bad
 * file fails the step that wrote it, with the line, as GitHub fails a step on a bad `$GITHUB_OUTPUT`.
 */
const CHECK_OUTPUTS = String.raw`awk '
  d != "" { if ($0 == d) d = ""; next }
  /^[^=<]+<<.+$/ { d = substr($0, index($0, "<<") + 2); next }
  /^[ \t\r]*$/ { next }
  /^[^=]+=/ { next }
  { printf "stepdeploy: line %d of $STEPDEPLOY_OUTPUT is not NAME=VALUE or NAME<<DELIMITER: %s\n", NR, $0 > "/dev/stderr"; bad = 1 }
  END { if (d != "") { printf "stepdeploy: $STEPDEPLOY_OUTPUT: no line %s ends the value started with <<%s\n", d, d > "/dev/stderr"; bad = 1 }; exit bad }
' "$STEPDEPLOY_OUTPUT"`;

/**
 * The CodeBuild buildspec of a `run` step. The script is written from a quoted heredoc (the shell
 * that reads the buildspec expands nothing in it) to a file, which runs under
 * `bash --noprofile --norc -eo pipefail` (GitHub's `shell: bash`) with stdin from /dev/null, so a
 * command that reads stdin cannot swallow the rest of the script. The outputs file is checked, then
 * exported base64-encoded so that any bytes survive.
 */
export function renderBuildspec(step: RunStep, script: string): string {
  const delimiter = `STEPDEPLOY_SCRIPT_${createHash('sha256').update(script).digest('hex').slice(0, 12)}`;
  const { cd } = liftWorkingDirectory(step);
  const runScript = `bash --noprofile --norc -eo pipefail "$STEPDEPLOY_SCRIPT" < /dev/null\nSTEPDEPLOY_STATUS=$?\n`;
  // A working-directory that does not exist fails the step (cd's own message says why).
  const run =
    cd === undefined
      ? runScript
      : `if cd -- ${cd}; then\n${runScript}else\nSTEPDEPLOY_STATUS=1\nfi\n`;
  const command =
    `export STEPDEPLOY_OUTPUT="$(mktemp)"\n` +
    `STEPDEPLOY_SCRIPT="$(mktemp)"\n` +
    `cat > "$STEPDEPLOY_SCRIPT" <<'${delimiter}'\n` +
    `${script.endsWith('\n') ? script : `${script}\n`}` +
    `${delimiter}\n` +
    run +
    `if [ "$STEPDEPLOY_STATUS" -eq 0 ]; then ${CHECK_OUTPUTS} || STEPDEPLOY_STATUS=1; fi\n` +
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
