/** The headers of every page the provider renders: never cached, never framed (clickjacking), no scripts. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  // No form-action: after the POST the browser follows redirects to the client's loopback
  // redirect URI, which some browsers check against form-action too.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'content-type': 'text/html; charset=utf-8',
};

/** The field names the login form posts; the client helper (testing/identity-client.ts) fills them in. */
export const LOGIN_FORM_FIELDS = { email: 'email', password: 'password' } as const;

export interface LoginPage {
  /** Where the form posts: the interaction's own path, which carries its cookie. */
  action: string;
  clientName: string;
  email?: string;
  error?: string;
}

/** The sign-in form of an interaction, with the error of the previous attempt when there was one. */
export function renderLoginPage({ action, clientName, email = '', error }: LoginPage): string {
  return page(
    'Sign in to Faultline',
    `<p>${escapeHtml(clientName)} asks you to sign in.</p>
    ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="${escapeHtml(action)}" autocomplete="on">
      <label>E-mail <input type="email" name="${LOGIN_FORM_FIELDS.email}" value="${escapeHtml(email)}" required autofocus autocomplete="username"></label>
      <label>Password <input type="password" name="${LOGIN_FORM_FIELDS.password}" required autocomplete="current-password"></label>
      <button type="submit">Sign in</button>
    </form>`,
  );
}

/** An error the person can act on (an expired sign-in, a refused request), without internals. */
export function renderErrorPage(message: string): string {
  return page('Sign-in failed', `<p class="error" role="alert">${escapeHtml(message)}</p><p>Start again from the application.</p>`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 24rem; margin: 4rem auto; padding: 0 1rem; }
    label { display: block; margin: 0.75rem 0; }
    input { display: block; width: 100%; padding: 0.4rem; box-sizing: border-box; }
    button { padding: 0.5rem 1.5rem; }
    .error { color: #a00; }
  </style>
</head>
<body>
  <h1>${escapeHtml(title)}</h1>
  ${body}
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
