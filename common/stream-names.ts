// Kinesis's rules for stream names (CreateStream): 1 to 128 characters, letters, digits, and
// `_`, `.`, `-`. Names an endpoint lists are checked against them before they are matched,
// printed or sent anywhere: an endpoint is not trusted to return only names AWS would.
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

export const STREAM_NAME_RULES = '1 to 128 letters, digits, underscores, periods and hyphens';

export function isKinesisStreamName(name: unknown): name is string {
  return typeof name === 'string' && STREAM_NAME.test(name);
}

/** A name that broke the rules, shown safely: quoted, control characters escaped, shortened. */
export function shownStreamName(name: unknown): string {
  if (typeof name !== 'string') return typeof name;
  const shown = JSON.stringify(name.length > 140 ? name.slice(0, 140) : name);
  return name.length > 140 ? `${shown}… (${name.length} characters)` : shown;
}
