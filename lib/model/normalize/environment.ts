import type { SpecNode } from '../../source/tree';
import { environmentNamePattern, environmentNameRule } from '../environments';
import type { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import type { JobEnvironment } from '../workflow';
import { describe, invalidType, readMap, reportUnsupported } from './read';

/** `environment: production` or `environment: { name, url }`; a literal name must be usable in secret names. */
export function normalizeEnvironment(node: SpecNode, path: string, sink: ProblemSink): JobEnvironment | undefined {
  if (node.kind === 'scalar') return readName(node, path, sink);
  const entries = readMap(node, path, 'environment', sink);
  if (!entries) return undefined;
  const nameNode = entries.get('name')?.value;
  if (!nameNode) {
    sink.report('missing-key', node.pos, keyPath(path, 'name'), `${path}.name is required: the environment the job deploys to`);
    return undefined;
  }
  const name = readName(nameNode, keyPath(path, 'name'), sink);
  const urlEntry = entries.get('url');
  // Refused until the report shows it, rather than accepted and dropped.
  if (urlEntry) reportUnsupported(sink, urlEntry, keyPath(path, 'url'), 'deployment URLs are not shown in the report yet');
  if (name === undefined) return undefined;
  return name;
}

function readName(node: SpecNode, path: string, sink: ProblemSink): JobEnvironment | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') return invalidType(sink, node, path, 'an environment name or { name, url }');
  const name = node.value;
  if (!name.includes('${{') && !environmentNamePattern.test(name)) {
    sink.report('invalid-environment-name', node.pos, path, `${path}: ${describe(node)} is not a valid environment name (${environmentNameRule})`);
    return undefined;
  }
  return { name };
}
