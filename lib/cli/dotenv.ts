// Dotenv files as act and docker read them: `NAME=value` lines, `export NAME=value`, `#` comments and
// blank lines; a value may be "double quoted" (with \n, \t, \", \\ escapes, and may span lines) or
// 'single quoted' (taken as written); an unquoted value ends at ` #`.

export function parseDotenv(text: string): { values: Map<string, string>; error?: string } {
  const values = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!match) return { values, error: `line ${index + 1} is not NAME=VALUE` };
    const [, name, rest] = match as unknown as [string, string, string];
    if (rest.startsWith('"')) {
      let body = rest.slice(1);
      while (!/(^|[^\\])(\\\\)*"\s*(#.*)?$/.test(body)) {
        index++;
        if (index >= lines.length) return { values, error: `line ${index}: the value of ${name} has no closing "` };
        body += `\n${lines[index]}`;
      }
      const closing = body.replace(/"\s*(#.*)?$/, '');
      values.set(name, closing.replace(/\\(.)/g, (_all, char: string) => ({ n: '\n', t: '\t', r: '\r' })[char] ?? char));
    } else if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) return { values, error: `line ${index + 1}: the value of ${name} has no closing '` };
      values.set(name, rest.slice(1, end));
    } else {
      values.set(name, rest.replace(/\s+#.*$/, '').trim());
    }
  }
  return { values };
}
