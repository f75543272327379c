import { useEffect, useState } from 'react';

/** How often the page asks the backend again for what it polls (readiness, consumer groups). */
const REFRESH_MS = 2_000;

/**
 * The latest answer of `GET path`, asked every two seconds or every `refreshMs` (nothing while `path`
 * is undefined); `error` says why the console's backend did not answer.
 */
export function usePolled<View>(path: string | undefined, refreshMs = REFRESH_MS): { view?: View; error?: string } {
  const [state, setState] = useState<{ view?: View; error?: string }>({});
  useEffect(() => {
    setState({});
    if (!path) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      try {
        const response = await fetch(path);
        if (!response.ok) throw new Error(`the console's backend answered ${path} with HTTP ${response.status}`);
        const view = (await response.json()) as View;
        if (!stopped) setState({ view });
      } catch (error) {
        if (!stopped) setState((previous) => ({ ...previous, error: (error as Error).message }));
      }
      if (!stopped) timer = setTimeout(refresh, refreshMs);
    };
    void refresh();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [path, refreshMs]);
  return state;
}
