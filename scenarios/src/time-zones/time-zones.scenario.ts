import { scenarioEnvironment } from '../environment.js';
import { requireScenarioPortsFree } from '../free-ports.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { CUSTOMERS, observeBillingInstants, type BilledRun } from './billing-instants.js';
import { LATE_ORDER_LOCAL, LATE_ORDER_PLACED_AT, reportLateOrder } from './late-order-report.js';

/**
 * Article 9 — time-zone bugs. Two measurements on the real code. (1) Billing's own schedule
 * workflows run on Temporal's time-skipping server across New York's next DST change: when is each
 * customer billed? Naive: at the server's 09:00, Tokyo and New York at the same instant. Correct: at
 * 09:00 on each customer's wall clock — 00:00Z for Tokyo, 14:00Z/13:00Z for New York — once a day.
 * (2) The real billing service's daily report places a New York order from 23:30 local on 8 Mar 2026.
 * Naive: on 9 Mar (UTC days). Correct: on 8 Mar, a 23-hour day.
 */
export const timeZonesScenario: Scenario = {
  name: 'time-zones',
  article: 9,
  title: 'Time-zone bugs — "09:00" and "end of day" in whose zone?',
  // Billing's schedule workflows and its daily report both read this one setting.
  switches: { naive: { BILLING_RUN_SCHEDULE: 'naive' }, correct: { BILLING_RUN_SCHEDULE: 'per-customer-zone' } },
  promise: {
    naive: "Tokyo and New York are billed at the same instant (the server's 09:00), and a 23:30 New York order is reported on the next day",
    correct: "Tokyo is billed at 00:00Z and New York at 14:00Z/13:00Z across its DST change, once a day, and a 23:30 New York order is reported on its own day",
  },
  run: runTimeZones,
};

async function runTimeZones(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = scenarioEnvironment();
  await requireScenarioPortsFree({ billing: env.BILLING_HTTP_PORT });

  // The service first, right after the port check: the time-skipping part needs no port.
  narrate.step(`Starting the identity provider and the billing service, and reporting a New York order placed at ${LATE_ORDER_LOCAL} (${LATE_ORDER_PLACED_AT})`);
  const switches = timeZonesScenario.switches[mode];
  const report = await reportLateOrder(switches);
  narrate.detail(`the daily report (${report.reportZone} days) counts it on ${report.reportedOn ?? 'no day'}, a ${report.dayHours ?? '?'}-hour day`);

  narrate.step(`Running billing's schedule workflows for a Tokyo and a New York customer on the time-skipping server (BILLING_RUN_SCHEDULE=${switches.BILLING_RUN_SCHEDULE})`);
  const { change, runs } = await observeBillingInstants(switches.BILLING_RUN_SCHEDULE);
  narrate.detail(`New York changes its clocks on ${change}; the server's zone here is ${Intl.DateTimeFormat().resolvedOptions().timeZone}`);
  for (const run of runs) narrate.detail(`${run.customer.padEnd(7)} billed at ${run.at} for ${run.billedDate} (${run.billingZone} day)`);
  const tokyo = runs.filter((run) => run.customer === 'tokyo');
  const newYork = runs.filter((run) => run.customer === 'newYork');
  const timesOfDay = (list: BilledRun[]) => [...new Set(list.map((run) => run.at.slice(11, 16)))].join(' → ');
  const sameInstant = tokyo.some((t) => newYork.some((n) => n.at === t.at));
  const onePerDate = (list: BilledRun[]) => new Set(list.map((run) => run.billedDate)).size === list.length;

  const correctInstants =
    timesOfDay(tokyo) === '00:00' && new Set(newYork.map((run) => run.at.slice(11, 16))).size === 2 && newYork.every((run) => ['13:00', '14:00'].includes(run.at.slice(11, 16)));
  return {
    showedWhatItPromised:
      mode === 'naive'
        ? sameInstant && report.reportedOn === '2026-03-09'
        : !sameInstant && correctInstants && onePerDate(tokyo) && onePerDate(newYork) && report.reportedOn === '2026-03-08' && report.dayHours === 23,
    measurements: {
      newYorkDstChange: change,
      tokyoBilledAtUtc: timesOfDay(tokyo),
      newYorkBilledAtUtc: timesOfDay(newYork),
      tokyoAndNewYorkBilledAtSameInstant: sameInstant,
      runsPerBilledDate: onePerDate(tokyo) && onePerDate(newYork) ? 1 : 'more than 1',
      lateNewYorkOrderReportedOn: report.reportedOn ?? 'none',
      reportDayHours: report.dayHours ?? 'none',
      customerZones: `${CUSTOMERS.tokyo}, ${CUSTOMERS.newYork}`,
    },
  };
}
