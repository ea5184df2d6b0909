import type { SpecNode } from '../../source/tree';
import { environmentNamePattern, environmentNameRule } from '../environments';
import type { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import type { JobEnvironment } from '../workflow';
import { describe, invalidType, readMap, readString } from './read';

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
  const urlNode = entries.get('url')?.value;
  // Evaluated when the job's steps end (lib/runtime/evaluate/job-finish.ts); shown in the report.
  const url = urlNode === undefined ? undefined : readString(urlNode, keyPath(path, 'url'), sink);
  if (name === undefined) return undefined;
  return url === undefined ? name : { ...name, url };
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
