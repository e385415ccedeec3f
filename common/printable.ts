// C0 and C1 control characters and DEL, but for newline and tab: what a terminal acts upon
// (an ESC sequence can clear the screen, move the cursor or retitle the window).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text safe to print or show: each control character written as an escape (`\x1b`) instead of
 * acted upon. For anything that may come from a server or a run input: failure messages,
 * stream names, warnings.
 */
export function printable(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One line of at most `max` characters, printable: whitespace runs become one space. */
export function printableLine(text: string, max: number): string {
  const flat = printable(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
