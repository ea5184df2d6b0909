// The `$STEPDEPLOY_OUTPUT` file, in GitHub's `$GITHUB_OUTPUT` format: `name=value` lines, and
// multi-line values as `name<<DELIMITER` … `DELIMITER`.

export class StepOutputError extends Error {
  override readonly name = 'StepOutputError';
}

export function parseStepOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.findIndex((candidate, at) => at > index && candidate.replace(/\r$/, '') === delimiter);
      if (end === -1) throw new StepOutputError(`output '${name}': no closing line '${delimiter}' for '${name}<<${delimiter}'`);
      outputs[name] = lines.slice(index + 1, end).join('\n');
      index = end;
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) throw new StepOutputError(`invalid output line ${index + 1}: '${line}' (expected name=value or name<<DELIMITER)`);
    outputs[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return outputs;
}
