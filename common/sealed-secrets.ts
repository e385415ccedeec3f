import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from 'node:crypto';
import { PREVIOUS_SECRETS_KEYS_ENV, SECRETS_KEY_ENV } from './secret-references.js';

/**
 * Secrets sealed by the CLI for the workers, so that a secret written literally in the YAML
 * never reaches Temporal history in plaintext. AES-256-GCM under a key that the CLI and every
 * worker share (OM_KINESIS_SECRETS_KEY).
 *
 * Format: `sealed:v2:<key id>:<base64 iv>:<base64 ciphertext+tag>`. The key id names the key a
 * value was sealed with, so that workers can hold the previous key while keys rotate. Each value
 * is bound, as GCM additional data, to what it was sealed for (its YAML path, and the server,
 * endpoint, region, role and TLS settings it is sent with; see sealingContext in
 * common/secret-fields.ts): a sealed value copied into another field, or into a run input that
 * sends it elsewhere, does not open.
 */
export { SECRETS_KEY_ENV, PREVIOUS_SECRETS_KEYS_ENV };

const PREFIX = 'sealed:';
const V2 = 'sealed:v2:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const MIN_PASSPHRASE = 16;
// scrypt's parameters for a passphrase: ~100 ms and 32 MiB once per process, so that a guessed
// passphrase costs as much to try. The salt is fixed: CLI and workers derive the same key.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const SCRYPT_SALT = 'om-kinesis sealed secrets v2';

/** Thrown when a sealed secret cannot be opened (no key, wrong key, wrong binding, damaged value). */
export class SealedSecretError extends Error {
  override readonly name = 'SealedSecretError';
}

/** A sealing key and its id (a keyed hash of the key: it tells keys apart and reveals nothing). */
export interface SecretsKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The keys of a process: `current` seals and opens; `previous` only open (during a rotation). */
export interface SecretsKeyring {
  current?: SecretsKey;
  previous: SecretsKey[];
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/**
 * The key that `text` stands for: a base64 32-byte key (`openssl rand -base64 32`), optionally
 * written `base64:...`, or else a passphrase of at least 16 characters, stretched with scrypt.
 */
export function secretsKeyFrom(text: string, variable = SECRETS_KEY_ENV): SecretsKey {
  const trimmed = text.trim();
  const explicit = trimmed.startsWith('base64:');
  const encoded = explicit ? trimmed.slice('base64:'.length) : trimmed;
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(encoded)) {
    const key = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return keyWithId(key);
  }
  if (explicit)
    throw new SealedSecretError(
      `${variable}: base64: must be followed by 32 bytes in base64 (openssl rand -base64 32)`,
    );
  if (trimmed.length < MIN_PASSPHRASE) {
    throw new SealedSecretError(
      `${variable} is too short: use a random key (openssl rand -base64 32), or a passphrase of at least ${MIN_PASSPHRASE} characters`,
    );
  }
  return keyWithId(scryptSync(trimmed, SCRYPT_SALT, KEY_BYTES, SCRYPT));
}

/** The keyring of a process from its environment; undefined keys are absent. */
export function secretsKeyringFrom(env: Record<string, string | undefined>): SecretsKeyring {
  const current = currentSecretsKey(env);
  const previousText = env[PREVIOUS_SECRETS_KEYS_ENV] ?? '';
  return {
    ...(current ? { current } : {}),
    previous: previousText
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => secretsKeyFrom(part, PREVIOUS_SECRETS_KEYS_ENV)),
  };
}

/** The key the CLI seals with, from OM_KINESIS_SECRETS_KEY; undefined when it is not set. */
export function currentSecretsKey(env: Record<string, string | undefined>): SecretsKey | undefined {
  const text = env[SECRETS_KEY_ENV];
  return text ? secretsKeyFrom(text) : undefined;
}

/** A random key for this process alone (the CLI's embedded worker). */
export function newEphemeralSecretsKey(): SecretsKey {
  return keyWithId(randomBytes(KEY_BYTES));
}

export function sealSecret(plaintext: string, key: SecretsKey, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${V2}${key.id}:${iv.toString('base64')}:${body.toString('base64')}`;
}

export function openSealedSecret(sealed: string, keyring: SecretsKeyring, context: string): string {
  if (!sealed.startsWith(V2)) {
    throw new SealedSecretError(
      'a secret in the run input is sealed in an older format that binds it to its field only: seal it again with this version of om-kinesis (om-kinesis input, or re-create the schedule)',
    );
  }
  const [keyId = '', ivText = '', bodyText = ''] = sealed.slice(V2.length).split(':');
  const iv = Buffer.from(ivText, 'base64');
  const body = Buffer.from(bodyText, 'base64');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
    throw new SealedSecretError('a sealed secret in the run input is damaged');
  }
  const keys = [keyring.current, ...keyring.previous].filter((key): key is SecretsKey => key !== undefined);
  if (keys.length === 0) {
    throw new SealedSecretError(
      `a secret in the run input is sealed, but this worker has no ${SECRETS_KEY_ENV}: start every worker with the same ${SECRETS_KEY_ENV} as the CLI`,
    );
  }
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) {
    throw new SealedSecretError(
      `a secret in the run input is sealed with key ${keyId}, which this worker does not hold (it holds ${keys.map((k) => k.id).join(', ')}): give the worker that key as ${SECRETS_KEY_ENV}, or as ${PREVIOUS_SECRETS_KEYS_ENV} while keys rotate`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SealedSecretError(
      'a sealed secret in the run input does not open here: it was sealed for another field, server, endpoint, region, role or TLS setting than this run input gives it (a sealed value opens only where it was sealed for), or it was altered',
    );
  }
}

function keyWithId(key: Buffer): SecretsKey {
  const id = createHmac('sha256', key).update('om-kinesis key id').digest('hex').slice(0, 12);
  return { id, key };
}
