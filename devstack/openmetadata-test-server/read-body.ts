/**
 * Reads a request body as the real server does: parsed and checked like Jackson (first problem
 * wins, with Jackson's message and source position), then validated like Hibernate Validator
 * (every constraint violation at once).
 */
import { ApiError } from './errors.js';
import type { PojoSpec, Spec } from './schemas.js';
import { isObject, UUID_PATTERN } from './values.js';

type JsonPath = ReadonlyArray<string | number>;

const JACKSON_SOURCE =
  '(org.glassfish.jersey.message.internal.ReaderInterceptorExecutor$UnCloseableInputStream)';
const INT_RANGE: Record<'integer' | 'long', readonly [number, number]> = {
  integer: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

class JacksonProblem extends Error {
  constructor(
    message: string,
    readonly path: JsonPath,
    readonly chain: readonly string[],
  ) {
    super(message);
  }
}

/** Jackson's name for the JSON shape of a value, and its token. */
function jsonShape(value: unknown): { shape: string; token: string } {
  if (Array.isArray(value)) return { shape: 'Array', token: 'START_ARRAY' };
  if (value === null) return { shape: 'Null', token: 'VALUE_NULL' };
  switch (typeof value) {
    case 'object':
      return { shape: 'Object', token: 'START_OBJECT' };
    case 'string':
      return { shape: 'String', token: 'VALUE_STRING' };
    case 'number':
      return Number.isInteger(value)
        ? { shape: 'Integer', token: 'VALUE_NUMBER_INT' }
        : { shape: 'Floating-point', token: 'VALUE_NUMBER_FLOAT' };
    case 'boolean':
      return { shape: 'Boolean', token: value ? 'VALUE_TRUE' : 'VALUE_FALSE' };
    default:
      return { shape: 'Unknown', token: 'NOT_AVAILABLE' };
  }
}

function cannotDeserialize(javaType: string, value: unknown): string {
  if (typeof value === 'string' && !javaType.startsWith('java.util.')) {
    return `Cannot deserialize value of type \`${javaType}\` from String ${JSON.stringify(value)}: not a valid \`${javaType}\` value`;
  }
  const { shape, token } = jsonShape(value);
  return `Cannot deserialize value of type \`${javaType}\` from ${shape} value (token \`JsonToken.${token}\`)`;
}

function cannotConstructPojo(javaType: string, value: unknown): string {
  const prefix = `Cannot construct instance of \`${javaType}\` (although at least one Creator exists): no`;
  if (typeof value === 'string') {
    return `${prefix} String-argument constructor/factory method to deserialize from String value ('${value}')`;
  }
  if (typeof value === 'number') {
    const kind = Number.isInteger(value) ? 'int/Int' : 'double/Double';
    return `${prefix} ${kind}-argument constructor/factory method to deserialize from Number value (${value})`;
  }
  if (typeof value === 'boolean') {
    return `${prefix} boolean/Boolean-argument constructor/factory method to deserialize from Boolean value (${value})`;
  }
  return cannotDeserialize(javaType, value);
}

/** Fails like Jackson on the first unknown property or wrong JSON type, in document order. */
function readLikeJackson(spec: Spec, value: unknown, path: JsonPath, chain: readonly string[]): void {
  if (value === null || value === undefined) return;
  const fail = (message: string): never => {
    throw new JacksonProblem(message, path, chain);
  };
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') fail(cannotDeserialize('java.lang.String', value));
      if (spec.uuid && !UUID_PATTERN.test(value as string)) {
        fail(
          `Cannot deserialize value of type \`java.util.UUID\` from String ${JSON.stringify(value)}: UUID has to be represented by standard 36-char representation`,
        );
      }
      return;
    case 'integer':
    case 'long': {
      const javaType = spec.kind === 'integer' ? 'java.lang.Integer' : 'java.lang.Long';
      if (typeof value !== 'number') return fail(cannotDeserialize(javaType, value));
      if (!Number.isInteger(value))
        fail(`Cannot coerce Floating-point value (${value}) to \`${javaType}\` value`);
      const [min, max] = INT_RANGE[spec.kind];
      if (value < min || value > max) {
        fail(
          `Numeric value (${value}) out of range of ${spec.kind === 'integer' ? 'int' : 'long'} (${min} - ${max})`,
        );
      }
      return;
    }
    case 'double':
      if (typeof value !== 'number') fail(cannotDeserialize('java.lang.Double', value));
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(cannotDeserialize('java.lang.Boolean', value));
      return;
    case 'enum':
      if (typeof value !== 'string') return fail(cannotDeserialize(spec.javaType, value));
      if (!spec.values.includes(value)) {
        fail(`Cannot construct instance of \`${spec.javaType}\`, problem: ${value}`);
      }
      return;
    case 'map':
      if (!isObject(value)) fail(cannotConstructPojo(spec.javaType, value));
      return;
    case 'any':
      return;
    case 'list':
      if (!Array.isArray(value)) return fail(cannotDeserialize(spec.javaType, value));
      value.forEach((item: unknown, index) => {
        const itemPath = [...path, index];
        const itemChain = [...chain, `java.util.ArrayList[${index}]`];
        // Stricter than Jackson, which keeps a null element: a null is not a message or a tag.
        if (item === null) {
          throw new JacksonProblem(
            cannotDeserialize(spec.items.kind === 'pojo' ? spec.items.javaType : 'java.lang.String', null),
            itemPath,
            itemChain,
          );
        }
        readLikeJackson(spec.items, item, itemPath, itemChain);
      });
      return;
    case 'pojo': {
      if (!isObject(value)) return fail(cannotConstructPojo(spec.javaType, value));
      for (const [key, propValue] of Object.entries(value)) {
        const propChain = [...chain, `${spec.javaType}["${key}"]`];
        const propSpec = spec.props[key];
        if (propSpec === undefined) {
          const known = Object.keys(spec.props);
          throw new JacksonProblem(
            `Unrecognized field "${key}" (class ${spec.javaType}), not marked as ignorable (${known.length} known properties: ${known.map((name) => `"${name}"`).join(', ')}])`,
            [...path, key],
            propChain,
          );
        }
        readLikeJackson(propSpec, propValue, [...path, key], propChain);
      }
      return;
    }
  }
}

/** Hibernate Validator's messages for the constraints jsonschema2pojo generates. */
function collectViolations(spec: PojoSpec, value: Record<string, unknown>, violations: string[]): void {
  for (const [name, propSpec] of Object.entries(spec.props)) {
    const propValue = value[name];
    if (propValue === null || propValue === undefined) {
      if (propSpec.required) violations.push(`${name} must not be null`);
      continue;
    }
    switch (propSpec.kind) {
      case 'string': {
        const text = propValue as string;
        if (propSpec.size && (text.length < propSpec.size[0] || text.length > propSpec.size[1])) {
          violations.push(`${name} size must be between ${propSpec.size[0]} and ${propSpec.size[1]}`);
        }
        if (propSpec.pattern !== undefined && !new RegExp(propSpec.pattern).test(text)) {
          violations.push(`${name} must match "${propSpec.pattern}"`);
        }
        break;
      }
      case 'integer':
      case 'long':
      case 'double':
        if (propSpec.minimum !== undefined && (propValue as number) < propSpec.minimum) {
          violations.push(`${name} must be greater than or equal to ${propSpec.minimum}`);
        }
        break;
      case 'pojo':
        collectViolations(propSpec, propValue as Record<string, unknown>, violations);
        break;
      case 'list':
        if (propSpec.items.kind === 'pojo') {
          for (const item of propValue as Record<string, unknown>[]) {
            collectViolations(propSpec.items, item, violations);
          }
        }
        break;
      default:
        break;
    }
  }
}

/** Where the value at `target` starts in `text` (valid JSON), as a character offset. */
function offsetOfJsonValue(text: string, target: JsonPath): number | undefined {
  let i = 0;
  const skipWhitespace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i += 1;
  };
  const skipString = (): void => {
    i += 1;
    while (i < text.length && text.charAt(i) !== '"') i += text.charAt(i) === '\\' ? 2 : 1;
    i += 1;
  };
  const isTarget = (path: JsonPath): boolean =>
    path.length === target.length && path.every((part, index) => part === target[index]);
  const scan = (path: JsonPath): number | undefined => {
    skipWhitespace();
    if (isTarget(path)) return i;
    const opening = text.charAt(i);
    if (opening === '{' || opening === '[') {
      const closing = opening === '{' ? '}' : ']';
      i += 1;
      skipWhitespace();
      if (text.charAt(i) === closing) {
        i += 1;
        return undefined;
      }
      for (let index = 0; ; index += 1) {
        let key: string | number = index;
        if (opening === '{') {
          skipWhitespace();
          const keyStart = i;
          skipString();
          key = JSON.parse(text.slice(keyStart, i)) as string;
          skipWhitespace();
          i += 1; // the colon
        }
        const found = scan([...path, key]);
        if (found !== undefined) return found;
        skipWhitespace();
        const separator = text.charAt(i);
        i += 1;
        if (separator !== ',') return undefined;
      }
    }
    if (opening === '"') skipString();
    else while (i < text.length && !',]} \t\n\r'.includes(text.charAt(i))) i += 1;
    return undefined;
  };
  return scan([]);
}

function jacksonMessage(problem: JacksonProblem, rawBody: string): string {
  // Jackson reports where its parser stood: just past the first character of the value.
  const offset = (offsetOfJsonValue(rawBody, problem.path) ?? 0) + 1;
  const before = rawBody.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const chain = problem.chain.length > 0 ? ` (through reference chain: ${problem.chain.join('->')})` : '';
  return `${problem.message}\n at [Source: ${JACKSON_SOURCE}; line: ${line}, column: ${column}]${chain}`;
}

/** Parses and validates a request body against `spec`, answering 400 as the real server does. */
export function readBody(spec: PojoSpec, rawBody: string): unknown {
  let value: unknown;
  try {
    value = rawBody.trim() === '' ? null : JSON.parse(rawBody);
  } catch {
    throw new ApiError(400, 'Unable to process JSON');
  }
  // Jersey hands a null entity to the resource, which then fails; no client sends one on purpose.
  if (value === null) throw new ApiError(400, 'Unable to process JSON');
  try {
    readLikeJackson(spec, value, [], []);
  } catch (error) {
    if (error instanceof JacksonProblem) throw new ApiError(400, jacksonMessage(error, rawBody));
    throw error;
  }
  const violations: string[] = [];
  collectViolations(spec, value as Record<string, unknown>, violations);
  if (violations.length > 0) throw new ApiError(400, `[${violations.join(', ')}]`);
  return value;
}
