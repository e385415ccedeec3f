import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets sealed by the CLI for the workers, so that a secret written literally in the YAML
 * never reaches Temporal history in plaintext. AES-256-GCM with a key derived from
 * OM_KINESIS_SECRETS_KEY, which the CLI and every worker share.
 *
 * Format: `sealed:v1:<base64 iv>:<base64 ciphertext+tag>`. Each value is bound (as GCM
 * additional data) to where it may be used, e.g. its YAML path, and for the OpenMetadata token
 * also the server it is for: a sealed value copied into another field, or a run input whose
 * hostPort was changed to another server, does not open.
 */
export const SECRETS_KEY_ENV = 'OM_KINESIS_SECRETS_KEY';
const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a sealed secret cannot be opened (no key, wrong key, or damaged value). */
export class SealedSecretError extends Error {
  override readonly name = 'SealedSecretError';
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function secretsKeyFrom(passphrase: string): Buffer {
  if (passphrase.length < 16) {
    throw new SealedSecretError(
      `${SECRETS_KEY_ENV} is too short: use at least 16 random characters (e.g. openssl rand -base64 32)`,
    );
  }
  return createHash('sha256').update(passphrase, 'utf8').digest();
}

export function newEphemeralSecretsKey(): Buffer {
  return randomBytes(32);
}

export function sealSecret(plaintext: string, key: Buffer, boundTo: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${iv.toString('base64')}:${body.toString('base64')}`;
}

export function openSealedSecret(sealed: string, key: Buffer | undefined, boundTo: string): string {
  if (!key) {
    throw new SealedSecretError(
      `a secret in the run input is sealed, but this worker has no ${SECRETS_KEY_ENV}: start every worker with the same ${SECRETS_KEY_ENV} as the CLI`,
    );
  }
  const [ivText, bodyText] = sealed.slice(PREFIX.length).split(':');
  const iv = Buffer.from(ivText ?? '', 'base64');
  const body = Buffer.from(bodyText ?? '', 'base64');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES)
    throw new SealedSecretError('a sealed secret in the run input is damaged');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SealedSecretError(
      `a sealed secret in the run input does not open with this worker's ${SECRETS_KEY_ENV}: the CLI and the workers must share the same key, and a sealed value only opens in the field (and for the OpenMetadata server) it was sealed for`,
    );
  }
}

/** What a secret is bound to: its YAML path, plus the server for values sent to a server. */
export function secretBinding(field: string, server?: string): string {
  return server ? `${field}@${server}` : field;
}
