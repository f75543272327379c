import type { IncomingHttpHeaders } from 'node:http';
import { ProblemDetailsException, ProblemType } from '@faultline/shared/problem-details';
import { WORKSHOP_MODE_VARIABLE } from '@faultline/shared/config';
import type { ConsoleSettings } from '../config.js';

/**
 * Whether a request may change the system: only in workshop mode, only as JSON (a form or a
 * `text/plain` post from another site's page cannot send it without the browser asking first, which
 * the console never allows), and only from the console's own page when the browser names an origin.
 */
export function changeRefusal(workshopMode: boolean, headers: IncomingHttpHeaders, ownOrigin: string): string | undefined {
  if (!workshopMode) return `the console is read-only: start it with ${WORKSHOP_MODE_VARIABLE}=true to change the system from it`;
  if (!/^application\/json\b/i.test(headers['content-type'] ?? '')) return 'a change is sent as application/json';
  const origin = headers.origin;
  if (origin !== undefined && origin !== ownOrigin) return `a change comes from the console's own page (${ownOrigin}), not from ${origin}`;
  return undefined;
}

/** Throws a 403 problem saying why, unless the request may change the system. */
export function requireChangeAllowed(settings: ConsoleSettings, request: { headers: IncomingHttpHeaders }): void {
  const refusal = changeRefusal(settings.workshopMode, request.headers, `http://${request.headers.host ?? `${settings.http.host}:${settings.http.port}`}`);
  if (refusal) throw new ProblemDetailsException({ type: ProblemType.plain, title: 'Forbidden', status: 403, detail: refusal });
}
