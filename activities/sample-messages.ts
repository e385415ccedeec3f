/**
 * Turns Kinesis record bytes into the strings OpenMetadata stores as sample data. Records are
 * arbitrary bytes, so this never throws: text stays text (JSON included, verbatim), anything
 * else becomes a clearly marked base64 string, and every message is capped in size.
 */
export const DEFAULT_MAX_MESSAGE_CHARS = 4096;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function toSampleMessage(data: Uint8Array, maxChars = DEFAULT_MAX_MESSAGE_CHARS): string {
  const text = decodeText(data);
  if (text !== undefined) return capped(text, maxChars, data.length);
  return markedBinaryMessage('binary record', data, maxChars);
}

/** `<what, N bytes> base64:...`, capped: bytes that are not text, said to be what they are. */
export function markedBinaryMessage(
  what: string,
  data: Uint8Array,
  maxChars = DEFAULT_MAX_MESSAGE_CHARS,
): string {
  // Only as much base64 as the message can show is encoded.
  const shown = data.subarray(0, Math.ceil((maxChars * 3) / 4));
  return capped(`<${what}, ${data.length} bytes> base64:${toBase64(shown)}`, maxChars, data.length);
}

/** UTF-8 text without control characters other than tab, newline and carriage return. */
export function decodeText(data: Uint8Array): string | undefined {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

function toBase64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

export function capped(message: string, maxChars: number, totalBytes: number): string {
  if (message.length <= maxChars) return message;
  const suffix = ` …<truncated, ${totalBytes} bytes in all>`;
  // Do not cut a surrogate pair in half: the result must stay valid UTF-16/JSON.
  let end = Math.max(0, maxChars - suffix.length);
  const code = message.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return message.slice(0, end) + suffix;
}
