/**
 * The cookies a browser would keep for one origin during a sign-in, with the rules that matter for
 * oidc-provider's cookies: each is sent only below its `Path` (the interaction cookie is scoped to
 * `/interaction/<uid>`, the resume cookie to `/oidc/auth/<uid>`), and one set with an expiry in the
 * past (or `Max-Age=0`) is deleted. No domain matching: a jar serves one origin.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string; expiresAt: number | undefined }>();

  /** Takes every `Set-Cookie` of a response to a request for `url`. */
  store(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      let path = defaultPath(url);
      let expiresAt: number | undefined;
      for (const attribute of attributes) {
        const [key = '', attributeValue = ''] = attribute.split('=', 2);
        switch (key.toLowerCase()) {
          case 'path':
            if (attributeValue.startsWith('/')) path = attributeValue;
            break;
          case 'max-age':
            expiresAt = Date.now() + Number(attributeValue) * 1_000;
            break;
          case 'expires':
            expiresAt ??= Date.parse(attributeValue);
            break;
        }
      }
      const key = `${name}\u0000${path}`;
      if (expiresAt !== undefined && expiresAt <= Date.now()) this.cookies.delete(key);
      else this.cookies.set(key, { value, path, expiresAt });
    }
  }

  /** The `Cookie` header for a request to `url`, or undefined when no cookie applies. */
  header(url: URL): string | undefined {
    const now = Date.now();
    const applicable = [...this.cookies.entries()]
      .filter(([, cookie]) => pathMatches(url.pathname, cookie.path) && (cookie.expiresAt === undefined || cookie.expiresAt > now))
      // RFC 6265 §5.4: longer paths first.
      .sort(([, a], [, b]) => b.path.length - a.path.length)
      .map(([key, cookie]) => `${key.slice(0, key.indexOf('\u0000'))}=${cookie.value}`);
    return applicable.length > 0 ? applicable.join('; ') : undefined;
  }
}

/** RFC 6265 §5.1.4: the request path up to its last slash, when the cookie names no Path. */
function defaultPath(url: URL): string {
  const path = url.pathname;
  const lastSlash = path.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : path.slice(0, lastSlash);
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
