import { isSecretsKeyVariable } from '../secret-references.js';
import type { Environment } from './types.js';

// Python's posixpath.expandvars, which the official loader runs over the raw file text before
// parsing: `$name` (name = ASCII letters, digits, underscore; may start with a digit) or `${anything
// but a closing brace}`. A reference to a variable that is not set stays exactly as written, and a
// substituted value is never expanded again. The variables holding sealing keys are never
// expanded: a config is sent to Temporal and to servers, and must never carry the key.
const VARIABLE_REFERENCE = /\$([A-Za-z0-9_]+|\{[^}]*\})/g;

export interface ExpansionReport {
  text: string;
  /** Names referenced in the text but not set in the environment (their references stay literal). */
  unsetVariables: string[];
  /** Sealing-key variables the text refers to (left unexpanded). */
  sealingKeyVariables: string[];
}

export function expandEnvironmentVariables(text: string, env: Environment): string {
  return expandEnvironmentVariablesWithReport(text, env).text;
}

export function expandEnvironmentVariablesWithReport(text: string, env: Environment): ExpansionReport {
  if (!text.includes('$')) return { text, unsetVariables: [], sealingKeyVariables: [] };
  const unset = new Set<string>();
  const keys = new Set<string>();
  const expanded = text.replace(VARIABLE_REFERENCE, (reference: string, group: string) => {
    const name = group.startsWith('{') ? group.slice(1, -1) : group;
    if (isSecretsKeyVariable(name)) {
      keys.add(name);
      return reference;
    }
    // hasOwn: a name like `constructor` must not resolve to something inherited.
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (value === undefined) {
      unset.add(name);
      return reference;
    }
    return value;
  });
  return { text: expanded, unsetVariables: [...unset], sealingKeyVariables: [...keys] };
}

/** The variables whose values expansion put into `value` (set ones only, never the sealing keys). */
export function substitutedVariables(value: string, env: Environment): string[] {
  const names = new Set<string>();
  for (const [, group = ''] of value.matchAll(VARIABLE_REFERENCE)) {
    const name = group.startsWith('{') ? group.slice(1, -1) : group;
    if (!isSecretsKeyVariable(name) && Object.hasOwn(env, name) && env[name] !== undefined) names.add(name);
  }
  return [...names];
}

/** The references to `name` that expansion leaves in a value, e.g. `$AWS_REGION` or `${AWS_REGION}`. */
export function containsReferenceTo(value: string, name: string): boolean {
  return value.includes(`\${${name}}`) || new RegExp(`\\$${escapeRegExp(name)}(?![A-Za-z0-9_])`).test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
