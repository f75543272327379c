/**
 * `fetch` as a client of a service that enforces tokens (article 2): every request carries
 * `Authorization: Bearer <token>` unless it sets its own. The token is fetched once, on first use,
 * and reused; a 401 to a reused token (its issuer restarted with new keys, as between a scenario's
 * two modes) gets one fresh token and one retry, as a real client refreshes its token.
 */
export function bearerFetch(token: () => Promise<string>): typeof fetch {
  let current: Promise<string> | undefined;
  return async (input, init = {}) => {
    if (new Headers(init.headers).has('authorization')) return fetch(input, init);
    const send = async (bearer: Promise<string>) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${await bearer}`);
      return fetch(input, { ...init, headers });
    };
    const reused = current !== undefined;
    current ??= token();
    const response = await send(current);
    if (response.status !== 401 || !reused) return response;
    await response.body?.cancel();
    current = token();
    return send(current);
  };
}

