import { ExpressionError } from '../error';

// format('Hello {0} {1}', a, b): `{N}` is replaced by argument N, `{{` and `}}` are literal braces.

type Segment = { readonly text: string } | { readonly argument: number };

/** The pieces of a format string, or the reason it is malformed. */
function parseFormatString(format: string): Segment[] | undefined {
  const segments: Segment[] = [];
  let text = '';
  let index = 0;
  while (index < format.length) {
    const char = format[index] as string;
    if (char === '{' && format[index + 1] === '{') {
      text += '{';
      index += 2;
    } else if (char === '}' && format[index + 1] === '}') {
      text += '}';
      index += 2;
    } else if (char === '{') {
      const match = /^\{(\d+)\}/.exec(format.slice(index));
      if (match === null) return undefined;
      if (text !== '') segments.push({ text });
      text = '';
      segments.push({ argument: Number(match[1]) });
      index += match[0].length;
    } else if (char === '}') {
      return undefined;
    } else {
      text += char;
      index++;
    }
  }
  if (text !== '') segments.push({ text });
  return segments;
}

/** Checks a format string against the number of arguments that follow it; throws on a mistake. */
export function checkFormatString(format: string, argumentCount: number, offset: number): Segment[] {
  const segments = parseFormatString(format);
  if (segments === undefined) {
    throw new ExpressionError(
      `format(): invalid format string '${format}' (use {0}, {1}, … for arguments and {{ or }} for literal braces)`,
      offset,
    );
  }
  for (const segment of segments) {
    if ('argument' in segment && segment.argument >= argumentCount) {
      const available = argumentCount === 0 ? 'no argument follows it' : `only ${argumentCount} argument${argumentCount === 1 ? ' follows' : 's follow'} it`;
      throw new ExpressionError(
        `format(): format string '${format}' refers to {${segment.argument}} but ${available}`,
        offset,
      );
    }
  }
  return segments;
}

/** The formatted string; `args` are already coerced to strings. */
export function format(formatString: string, args: readonly string[], offset: number): string {
  return checkFormatString(formatString, args.length, offset)
    .map((segment) => ('text' in segment ? segment.text : (args[segment.argument] as string)))
    .join('');
}
