import { parseTemplate } from '../expressions';
import { canonicalName } from '../model/secret-refs';

/**
 * The secret an env value stands for when it is exactly `${{ secrets.NAME }}` (the only way the
 * validator lets a step read a secret), else undefined. Such a value is never evaluated: the step
 * gets a CodeBuild variable of type SECRETS_MANAGER instead, so the value stays out of the state
 * machine's data.
 */
export function secretReference(template: string): string | undefined {
  if (!template.includes('${{')) return undefined;
  const node = parseTemplate(template);
  if (node.kind === 'property' && node.object.kind === 'context' && node.object.name.toLowerCase() === 'secrets') return canonicalName(node.name);
  if (node.kind === 'index' && node.object.kind === 'context' && node.object.name.toLowerCase() === 'secrets') {
    return node.index.kind === 'literal' && typeof node.index.value === 'string' ? canonicalName(node.index.value) : undefined;
  }
  return undefined;
}

/** A step's env (its own and its script's lifted expressions) → entries to evaluate, and variable → secret name. */
export function splitSecretEnv(env: Readonly<Record<string, string>>): { env: Record<string, string>; secrets: Record<string, string> } {
  const evaluated: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [name, template] of Object.entries(env)) {
    const secret = secretReference(template);
    if (secret === undefined) evaluated[name] = template;
    else secrets[name] = secret;
  }
  return { env: evaluated, secrets };
}
