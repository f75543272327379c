import { useState } from 'react';

/**
 * A change the page asks of the console (workshop mode): JSON to one of its routes, the answer's
 * problem detail kept to show beside the button, cleared by the next change that succeeds. What
 * changed shows on the panels' next refresh.
 */
export function useChange(): { problem?: string; send: (method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => Promise<void> } {
  const [problem, setProblem] = useState<string>();
  const send = async (method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => {
    const response = await fetch(path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).catch((error: Error) => error);
    if (response instanceof Error) setProblem(`the console did not answer: ${response.message}`);
    else if (!response.ok) setProblem(((await response.json().catch(() => ({}))) as { detail?: string }).detail ?? `HTTP ${response.status}`);
    else setProblem(undefined);
  };
  return { problem, send };
}
