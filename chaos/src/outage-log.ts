import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workspaceRoot } from '@faultline/shared/testing';

/** One outage of a dependency the chaos run caused on purpose: the broker or the primary killed. */
export interface Outage {
  /** When it went down (ISO-8601 UTC). */
  start: string;
  /** When it was healthy again; absent while it lasts, or when the run that caused it died first. */
  end?: string;
  /** The component, as `node infra/native/cli.mjs status` names it: `kafka`, `postgres-primary`. */
  component: string;
  /** What was done, for the person reading the log: "kill -9 (pid 2679) by chaos kill-and-recover". */
  what: string;
}

/** A time window in epoch milliseconds, e.g. from a request's send to its answer. */
export interface TimeWindow {
  from: number;
  to: number;
}

/**
 * The checkout's outage log: one JSON line when an outage starts and one more when it ends (same
 * `start` and `component`). Anyone whose tests failed oddly reads it, and the bad-input fuzz excuses
 * a 5xx only when one of these outages overlaps the request. It lives under the ignored `.faultline/`
 * folder of the checkout, like the services' logs.
 */
export class OutageLog {
  constructor(readonly path: string = join(workspaceRoot(), '.faultline', 'logs', 'outages.log')) {}

  /** Notes the outage's start before the fault is made, so a crash mid-outage still leaves a trace. */
  started(outage: Omit<Outage, 'end'>): void {
    this.append({ start: outage.start, component: outage.component, what: outage.what });
  }

  /** Notes that the outage that started at `outage.start` is over (the component healthy again). */
  ended(outage: Outage & { end: string }): void {
    this.append({ start: outage.start, end: outage.end, component: outage.component, what: outage.what });
  }

  /** Every outage the log holds, oldest first; an empty list when nothing was ever logged. */
  read(): Outage[] {
    return existsSync(this.path) ? parseOutages(readFileSync(this.path, 'utf8')) : [];
  }

  private append(line: Outage): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify(line)}\n`);
  }
}

/**
 * The outages in the log's text: each start line merged with its end line. Lines that are not an
 * outage (hand-written notes, a line cut by a crash) are skipped rather than failing the reader.
 */
export function parseOutages(text: string): Outage[] {
  const outages = new Map<string, Outage>();
  for (const line of text.split('\n')) {
    const outage = outageOf(line);
    if (outage === undefined) continue;
    const key = `${outage.start} ${outage.component}`;
    // The end line carries everything the start line did; a start line never undoes a known end.
    const end = outage.end ?? outages.get(key)?.end;
    outages.set(key, { ...outage, ...(end !== undefined && { end }) });
  }
  return [...outages.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/**
 * How long an outage with no end recorded is taken to last: longer than any kill's restart (`up` is
 * given 3 minutes), and short enough that a run which died mid-outage does not excuse every 5xx of
 * every later run.
 */
export const OPEN_OUTAGE_MAX_MS = 10 * 60_000;

/**
 * The first outage that overlaps `window` once both are widened by `marginMs` on each side, or
 * undefined. An outage with no end recorded counts for OPEN_OUTAGE_MAX_MS from its start.
 */
export function outageOverlapping(outages: readonly Outage[], window: TimeWindow, marginMs: number): Outage | undefined {
  return outages.find((outage) => {
    const start = Date.parse(outage.start);
    const end = outage.end === undefined ? start + OPEN_OUTAGE_MAX_MS : Date.parse(outage.end);
    return start - marginMs <= window.to && end + marginMs >= window.from;
  });
}

/** "kafka 12:00:01–12:00:24 (kill -9 …)", for a report line. */
export function describeOutage(outage: Outage): string {
  const time = (iso: string) => iso.slice(11, 23);
  return `${outage.component} ${time(outage.start)}–${outage.end === undefined ? 'no end recorded' : time(outage.end)} UTC (${outage.what})`;
}

function outageOf(line: string): Outage | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { start, end, component, what } = value as Record<string, unknown>;
  if (typeof start !== 'string' || Number.isNaN(Date.parse(start)) || typeof component !== 'string') return undefined;
  const ended = typeof end === 'string' && !Number.isNaN(Date.parse(end));
  return { start, component, what: typeof what === 'string' ? what : '', ...(ended && { end }) };
}
