import { open } from 'node:fs/promises';

import { MAX_CONFIG_BYTES, parseIngestionConfig } from './parse.js';
import type { ConfigResult, Environment } from './types.js';

// The one function of the config module that does I/O. Problems with the file itself (missing,
// unreadable, a directory, binary, too big) come back as errors of the result, like any other
// config problem; nothing is thrown for bad input.

export interface LoadOptions {
  /** Variables for `$VAR` / `${VAR}` expansion; defaults to the process environment. */
  env?: Environment;
}

export async function loadIngestionConfig(path: string, options: LoadOptions = {}): Promise<ConfigResult> {
  const read = await readConfigFile(path);
  if (!read.ok) return { errors: [{ path: '', message: read.message }], warnings: [] };
  return parseIngestionConfig(read.text, { env: options.env ?? process.env, fileName: path });
}

export type ReadOutcome = { ok: true; text: string } | { ok: false; message: string };

/** The text of a config file, or why it cannot be one (missing, unreadable, a directory, binary, too big, not UTF-8). */
export async function readConfigFile(path: string): Promise<ReadOutcome> {
  let bytes: Uint8Array;
  try {
    const file = await open(path, 'r');
    try {
      if ((await file.stat()).isDirectory())
        return { ok: false, message: `${path} is a directory, not a config file` };
      // Read at most one byte past the limit, so pipes and devices (`-c /dev/stdin`) work too and an
      // endless one cannot exhaust memory.
      bytes = await readAtMost(file, MAX_CONFIG_BYTES + 1);
    } finally {
      await file.close();
    }
  } catch (error) {
    return { ok: false, message: describeReadError(path, error) };
  }
  if (bytes.length > MAX_CONFIG_BYTES) {
    return { ok: false, message: `${path} is larger than 1 MiB: an ingestion config is a small YAML file` };
  }
  if (bytes.includes(0))
    return { ok: false, message: `${path} contains binary data (NUL bytes): expected YAML text` };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, message: `${path} is not UTF-8 text: save the config as UTF-8` };
  }
}

async function readAtMost(file: Awaited<ReturnType<typeof open>>, limit: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(limit);
  let filled = 0;
  while (filled < limit) {
    const { bytesRead } = await file.read(buffer, filled, limit - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

function describeReadError(path: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return `Config file not found: ${path}`;
    case 'EACCES':
    case 'EPERM':
      return `Cannot read config file ${path}: permission denied`;
    case 'EISDIR':
      return `${path} is a directory, not a config file`;
    default:
      return `Cannot read config file ${path}: ${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)}`;
  }
}
