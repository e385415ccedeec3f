import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { RunRefusedError, SecretUnavailableError } from '../errors.js';
import { POLICY_OPTIONS, type RunPolicy } from './run-policy.js';

/**
 * Why the policy refuses to read `path`, or undefined when it lies in an allowed directory.
 * Decided from the path's text alone, before the file system is touched: a refusal says
 * nothing about whether the file exists.
 */
export function fileRefusal(path: string, policy: RunPolicy): string | undefined {
  if (!isAbsolute(path)) return 'is not an absolute path';
  return insideAny(resolve(path), policy.allowFileDirs)
    ? undefined
    : "names a file outside the directories this worker reads runs' files from";
}

/**
 * Reads a token or CA file a config names, within the policy: in an allowed directory (also
 * once links are followed), a regular file, at most maxFileBytes. `field` is named in errors;
 * `shownPath` is false when the path came from the worker's environment rather than the input.
 */
export function readAllowedFile(path: string, policy: RunPolicy, field: string, shownPath: boolean): Buffer {
  const refusal = fileRefusal(path, policy);
  const named = shownPath ? ` (${path})` : '';
  if (refusal !== undefined) {
    throw new RunRefusedError([
      {
        field,
        problem: `${refusal}${named}`,
        rule: 'file',
        ...(shownPath && isAbsolute(path)
          ? { allowedBy: `${POLICY_OPTIONS.allowFileDirs} ${dirname(path)}` }
          : {}),
      },
    ]);
  }
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new SecretUnavailableError(`${field}: the file${named} does not exist on this worker`);
  }
  const realDirs = policy.allowFileDirs.flatMap((dir) => {
    try {
      return [realpathSync(dir)];
    } catch {
      return [];
    }
  });
  if (!insideAny(real, realDirs)) {
    throw new RunRefusedError([
      { field, problem: `the file${named} links to a file outside the allowed directories`, rule: 'file' },
    ]);
  }
  const fd = openSync(real, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new SecretUnavailableError(`${field}: ${shownPath ? path : 'the path'} is not a file`);
    if (stat.size > policy.maxFileBytes) {
      throw new RunRefusedError([
        {
          field,
          problem: `the file${named} is larger than ${policy.maxFileBytes} bytes`,
          rule: 'file-size',
          allowedBy: `${POLICY_OPTIONS.maxFileBytes} ${stat.size}`,
        },
      ]);
    }
    const content = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, content, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return content.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function insideAny(path: string, dirs: readonly string[]): boolean {
  return dirs.some((dir) => {
    const inside = relative(dir, path);
    return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
  });
}
