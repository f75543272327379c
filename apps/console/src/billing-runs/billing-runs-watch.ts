import { Injectable } from '@nestjs/common';
import type { BillingRunsView, BillingZoneView } from '../console-api.js';
import { ConsoleTemporal } from '../temporal/console-temporal.js';
import { BILLING_SCHEDULE_WORKFLOW, pendingBillingRun } from './billing-schedule-history.js';

/** The most recently started schedules read per look: a long-lived Temporal holds every test's customers. */
export const BILLING_SCHEDULES_READ = 50;
/** A schedule's history changes once a day, or on a time-zone change: what was read is reused this long. */
const HISTORY_REUSED_FOR_MS = 10_000;
/** A view this young is answered again as it is. */
const VIEW_REUSED_FOR_MS = 5_000;

/**
 * Article 9: when the daily billing runs are due next, per customer time zone. Each customer's
 * schedule is a Temporal workflow that sleeps until 09:00 on its zone's wall clock (or, in the
 * workshop's naive mode, the server's); the console lists the running ones through Temporal's
 * visibility API and reads the pending timer from each history, so the page shows when Temporal
 * itself will run them.
 */
@Injectable()
export class BillingRunsWatch {
  private readonly histories = new Map<string, { readAt: number; pending?: { zone: string; runAt: Date } }>();
  private latest?: { at: number; view: Promise<BillingRunsView> };

  constructor(private readonly temporal: ConsoleTemporal) {}

  view(): Promise<BillingRunsView> {
    const now = Date.now();
    if (!this.latest || now - this.latest.at > VIEW_REUSED_FOR_MS) this.latest = { at: now, view: this.read().catch((error: Error) => ({ zones: [], schedulesRead: 0, problem: error.message })) };
    return this.latest.view;
  }

  private async read(): Promise<BillingRunsView> {
    const client = await this.temporal.client();
    const schedules: { workflowId: string; runId: string }[] = [];
    for await (const execution of client.workflow.list({ query: `WorkflowType = '${BILLING_SCHEDULE_WORKFLOW}' AND ExecutionStatus = 'Running'`, pageSize: BILLING_SCHEDULES_READ })) {
      schedules.push({ workflowId: execution.workflowId, runId: execution.runId });
      if (schedules.length >= BILLING_SCHEDULES_READ) break;
    }
    const now = Date.now();
    const pending = await Promise.all(
      schedules.map(async ({ workflowId, runId }) => {
        const known = this.histories.get(runId);
        if (known && now - known.readAt < HISTORY_REUSED_FOR_MS) return known.pending;
        const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
        const read = { readAt: now, pending: pendingBillingRun(history.events ?? []) };
        this.histories.set(runId, read);
        return read.pending;
      }),
    );
    for (const [runId, read] of this.histories) if (now - read.readAt > HISTORY_REUSED_FOR_MS * 4) this.histories.delete(runId);
    const zones = new Map<string, BillingZoneView>();
    for (const run of pending) {
      if (!run) continue;
      const zone = zones.get(run.zone);
      const runAt = run.runAt.toISOString();
      if (!zone) zones.set(run.zone, { zone: run.zone, customers: 1, nextRunAt: runAt });
      else zones.set(run.zone, { ...zone, customers: zone.customers + 1, nextRunAt: runAt < zone.nextRunAt ? runAt : zone.nextRunAt });
    }
    return { zones: [...zones.values()].sort((a, b) => a.nextRunAt.localeCompare(b.nextRunAt)), schedulesRead: schedules.length };
  }
}
