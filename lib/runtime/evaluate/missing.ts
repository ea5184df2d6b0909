import { lookupNames } from '../../model/store-names';

/** The error of a var that is set nowhere it is looked for: it names every place, never a value. */
export function missingVar(name: string, prefix: string, environment: string | undefined): string {
  return `vars.${name} is not set: no parameter ${lookupNames(prefix, name, environment).join(' or ')} in SSM Parameter Store`;
}

export function missingSecret(name: string, prefix: string, environment: string | undefined): string {
  return `secrets.${name} is not set: no secret ${lookupNames(prefix, name, environment).join(' or ')} in AWS Secrets Manager`;
}
