/** What came back for one request, as far as the property needs it. */
export interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

const PROBLEM_JSON = 'application/problem+json';

/**
 * Why an answer breaks the bad-input property, or undefined when it keeps it: never a 5xx, and every
 * rejection a 4xx `application/problem+json` whose body is an RFC 9457 problem (type, title, and a
 * status equal to the HTTP status). A 2xx is fine: a fuzzed request may well be valid.
 */
export function problemAnswerViolation(answer: Answer): string | undefined {
  const excerpt = answer.body.length > 300 ? `${answer.body.slice(0, 300)}…` : answer.body;
  if (answer.status >= 500) return `answered ${answer.status}: ${excerpt}`;
  if (answer.status < 400) return undefined;
  const mediaType = answer.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== PROBLEM_JSON) return `answered ${answer.status} as ${answer.contentType ?? 'no content type'}, not ${PROBLEM_JSON}: ${excerpt}`;
  let problem: unknown;
  try {
    problem = JSON.parse(answer.body);
  } catch {
    return `answered ${answer.status} ${PROBLEM_JSON} whose body is not JSON: ${excerpt}`;
  }
  if (typeof problem !== 'object' || problem === null || Array.isArray(problem)) return `answered ${answer.status} with a problem that is not an object: ${excerpt}`;
  const { type, title, status, detail } = problem as Record<string, unknown>;
  const wrong = [
    typeof type === 'string' && type.length > 0 ? undefined : 'type is not a non-empty string',
    typeof title === 'string' && title.length > 0 ? undefined : 'title is not a non-empty string',
    status === answer.status ? undefined : `status ${String(status)} is not the HTTP status ${answer.status}`,
    detail === undefined || typeof detail === 'string' ? undefined : 'detail is not a string',
  ].filter((reason) => reason !== undefined);
  return wrong.length === 0 ? undefined : `answered ${answer.status} with an invalid problem (${wrong.join('; ')}): ${excerpt}`;
}
