/// <reference lib="dom" />
// These two functions run inside the console's page (Playwright's page.evaluate), not in Node.

/** What the page's own probe saw during one phase, read back from the browser. */
export interface PageProbe {
  /** Time between two animation frames: 16.7 ms at 60 Hz when the page keeps up. */
  frameIntervalsMs: number[];
  /** At each update of the event list, how old its newest event was (now − the broker's append time). */
  stalenessMs: number[];
  /** Tasks of 50 ms or more on the page's main thread (the browser's Long Tasks API). */
  longTasks: number;
}

type ProbeWindow = Window & { consoleProbe?: PageProbe & { stop: () => void } };

/** Runs in the page: records every animation frame's interval and, at each change of the event list, the age of its newest event. */
export function startProbe(): void {
  const probe: PageProbe & { stop: () => void } = { frameIntervalsMs: [], stalenessMs: [], longTasks: 0, stop: () => undefined };
  let running = true;
  let last = performance.now();
  const frame = (now: number) => {
    probe.frameIntervalsMs.push(now - last);
    last = now;
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const list = document.querySelector('.flow tbody');
  const observer = new MutationObserver(() => {
    const newest = list?.querySelector('tr[data-appended-ms]');
    if (newest) probe.stalenessMs.push(Date.now() - Number(newest.getAttribute('data-appended-ms')));
  });
  if (list) observer.observe(list, { childList: true });
  const longTasks = new PerformanceObserver((entries) => {
    probe.longTasks += entries.getEntries().length;
  });
  longTasks.observe({ type: 'longtask' });
  probe.stop = () => {
    running = false;
    observer.disconnect();
    longTasks.disconnect();
  };
  (window as ProbeWindow).consoleProbe = probe;
}

/** Runs in the page: stops the probe and hands back what it recorded. */
export function stopProbe(): PageProbe {
  const probe = (window as ProbeWindow).consoleProbe;
  if (!probe) throw new Error('the page probe was not started');
  probe.stop();
  return { frameIntervalsMs: probe.frameIntervalsMs, stalenessMs: probe.stalenessMs, longTasks: probe.longTasks };
}
