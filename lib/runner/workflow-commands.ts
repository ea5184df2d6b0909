// GitHub's workflow commands, read from every line a step prints (stdout and stderr, as GitHub's
// runner reads them): `::name key=value,key=value::message`, with GitHub's escapes (%25 %0D %0A, and
// %3A %2C in properties). What a command does:
//   add-mask        the value is masked (`***`) in every later line of the cell and in the report
//   error, warning, notice   an annotation (message, title, file, line, col…) in the step's result
//   group, endgroup `##[group]title` / `##[endgroup]` in the log
//   debug           shown only when the step's ACTIONS_STEP_DEBUG is true
//   stop-commands   lines are shown as they are until `::<token>::`
//   set-output, save-state   deprecated on GitHub but still applied there: applied, with a warning
// A line that is no command (or an unknown one) is shown as it is.

import type { StepAnnotation } from '../runtime/runners';
import type { LogMasker } from './masker';

type Annotation = StepAnnotation;
type AnnotationLevel = StepAnnotation['level'];

/** GitHub shows at most this many annotations of each level per step. */
export const ANNOTATIONS_PER_LEVEL = 10;
/** An annotation's message is cut to this many characters in the result. */
const MESSAGE_LIMIT = 4096;

const unescapeData = (text: string): string => text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
const unescapeProperty = (text: string): string => unescapeData(text).replace(/%3A/gi, ':').replace(/%2C/gi, ',');

interface Parsed {
  readonly name: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly message: string;
}

export function parseCommand(line: string): Parsed | undefined {
  const text = line.trim();
  if (!text.startsWith('::')) return undefined;
  const end = text.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (name === '') return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(',')) {
      const equals = pair.indexOf('=');
      if (equals > 0) properties[pair.slice(0, equals).trim()] = unescapeProperty(pair.slice(equals + 1));
    }
  }
  return { name, properties, message: unescapeData(text.slice(end + 2)) };
}

const levelWords: Readonly<Record<AnnotationLevel, string>> = { error: 'Error', warning: 'Warning', notice: 'Notice' };

export class WorkflowCommands {
  private readonly found: Annotation[] = [];
  /** `::set-output` / `::save-state` values, in order (files written by the step come after). */
  readonly outputs: [string, string][] = [];
  readonly state: [string, string][] = [];
  private stopToken: string | undefined;
  /** Set once the step's environment is known (ACTIONS_STEP_DEBUG). */
  debug = false;

  constructor(private readonly masker: LogMasker) {}

  /** What to show for a line the step printed (undefined: nothing). */
  handle(line: string): string | undefined {
    const command = parseCommand(line);
    if (this.stopToken !== undefined) {
      if (command?.name !== this.stopToken) return line;
      this.stopToken = undefined;
      return undefined;
    }
    if (command === undefined) return line;
    const { name, properties, message } = command;
    switch (name) {
      case 'add-mask':
        this.masker.add(message);
        return undefined;
      case 'error':
      case 'warning':
      case 'notice':
        return this.annotate(name, properties, message);
      case 'group':
        return `##[group]${message}`;
      case 'endgroup':
        return '##[endgroup]';
      case 'debug':
        return this.debug ? `##[debug]${message}` : undefined;
      case 'stop-commands':
        if (message.trim() !== '') this.stopToken = message.trim();
        return undefined;
      case 'echo':
        return undefined;
      case 'set-output':
      case 'save-state': {
        const key = properties.name ?? '';
        if (key === '') return this.annotate('error', {}, `::${name}:: needs a name property (::${name} name=NAME::value)`);
        (name === 'set-output' ? this.outputs : this.state).push([key, message]);
        const file = name === 'set-output' ? 'GITHUB_OUTPUT' : 'GITHUB_STATE';
        return this.annotate('warning', {}, `The \`${name}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files (write to $${file}).`);
      }
      case 'set-env':
      case 'add-path':
        return this.annotate('error', {}, `Unable to process command '::${name}::' successfully. The \`${name}\` command is disabled (as on GitHub): write to $${name === 'set-env' ? 'GITHUB_ENV' : 'GITHUB_PATH'}`);
      default:
        return line;
    }
  }

  private annotate(level: AnnotationLevel, properties: Readonly<Record<string, string>>, message: string): string {
    const number = (key: string): number | undefined => {
      const value = Number(properties[key]);
      return properties[key] !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
    };
    const line = number('line');
    const col = number('col');
    const annotation: Annotation = {
      level,
      message: message.length > MESSAGE_LIMIT ? `${message.slice(0, MESSAGE_LIMIT)}…` : message,
      ...(properties.title !== undefined && { title: properties.title }),
      ...(properties.file !== undefined && { file: properties.file }),
      ...(line !== undefined && { line }),
      ...(number('endLine') !== undefined && { endLine: number('endLine') }),
      ...(col !== undefined && { col }),
      ...(number('endColumn') !== undefined && { endColumn: number('endColumn') }),
    };
    if (this.found.filter((item) => item.level === level).length < ANNOTATIONS_PER_LEVEL) this.found.push(annotation);
    const where = annotation.file === undefined ? '' : `${[annotation.file, line, col].filter((part) => part !== undefined).join(':')}: `;
    const title = annotation.title === undefined ? '' : `${annotation.title}: `;
    return `##[${level}]${levelWords[level]}: ${where}${title}${message}`;
  }

  /** The annotations, masked with everything masked by the time the step ended. */
  annotations(): Annotation[] {
    return this.found.map((annotation) => ({
      ...annotation,
      message: this.masker.mask(annotation.message),
      ...(annotation.title !== undefined && { title: this.masker.mask(annotation.title) }),
    }));
  }
}
