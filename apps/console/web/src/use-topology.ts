import { useEffect, useState } from 'react';
import type { TopologyView } from '../../src/console-api.js';

/** How often the page asks the backend for every service's readiness. */
const REFRESH_MS = 2_000;

/** The latest topology, asked every two seconds; `error` says why the backend itself did not answer. */
export function useTopology(): { topology?: TopologyView; error?: string } {
  const [state, setState] = useState<{ topology?: TopologyView; error?: string }>({});
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      try {
        const response = await fetch('/api/topology');
        if (!response.ok) throw new Error(`the console's backend answered HTTP ${response.status}`);
        const topology = (await response.json()) as TopologyView;
        if (!stopped) setState({ topology });
      } catch (error) {
        if (!stopped) setState((previous) => ({ ...previous, error: (error as Error).message }));
      }
      if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
    };
    void refresh();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return state;
}
