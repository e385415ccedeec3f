// Origins (scheme, host and port) of the URLs a run sends requests to: what worker allowlists,
// secret bindings and sealed values name. The port is always written out, so that
// `https://om.example.com` and `https://om.example.com:443` are one origin.

/** `scheme://host:port` of an http(s) URL; undefined for anything else. */
export function originOf(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return `${url.protocol}//${url.hostname}:${effectivePort(url)}`;
}

export function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** The host of an origin as originOf writes it (IPv6 addresses keep their brackets). */
export function hostOfOrigin(origin: string): string {
  return origin.replace(/^[a-z]+:\/\//, '').replace(/:[^:\]]*$/, '');
}
