import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CookieJar } from './cookie-jar.js';

function answer(...setCookies: string[]): Response {
  const headers = new Headers();
  for (const cookie of setCookies) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

describe('the sign-in helper\'s cookie jar', () => {
  it('sends a cookie only on requests below its path, as a browser does', () => {
    const jar = new CookieJar();
    jar.store(new URL('http://127.0.0.1:1/oidc/auth'), answer('_interaction=abc; path=/interaction/abc; httponly', '_session=s1; path=/'));
    assert.equal(jar.header(new URL('http://127.0.0.1:1/interaction/abc')), '_interaction=abc; _session=s1');
    assert.equal(jar.header(new URL('http://127.0.0.1:1/interaction/abcdef')), '_session=s1');
    assert.equal(jar.header(new URL('http://127.0.0.1:1/oidc/token')), '_session=s1');
  });

  it('deletes a cookie set again with an expiry in the past', () => {
    const jar = new CookieJar();
    const url = new URL('http://127.0.0.1:1/oidc/auth/abc');
    jar.store(url, answer('_interaction_resume=r; path=/oidc/auth/abc'));
    jar.store(url, answer('_interaction_resume=; path=/oidc/auth/abc; expires=Thu, 01 Jan 1970 00:00:00 GMT'));
    assert.equal(jar.header(url), undefined);
  });
});
