/** The RFC 6750 §3 error codes a resource server answers with. */
export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * The `WWW-Authenticate` value of a 401/403 (RFC 6750 §3). With no error (the request carried no
 * token) it is a bare `Bearer`, as §3.1 asks. `error_description` may hold only printable ASCII
 * without `"` or `\`, so the human message is folded to fit rather than dropped.
 */
export function bearerChallenge(challenge?: { error: BearerError; description: string; scope?: string }): string {
  if (!challenge) return 'Bearer';
  const parts = [`error="${challenge.error}"`, `error_description="${toQuotable(challenge.description)}"`];
  if (challenge.scope) parts.push(`scope="${toQuotable(challenge.scope)}"`);
  return `Bearer ${parts.join(', ')}`;
}

function toQuotable(text: string): string {
  return text
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/"/g, "'")
    .replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?');
}
