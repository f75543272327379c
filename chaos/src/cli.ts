#!/usr/bin/env node
// `npm run chaos [-- --short] [-- --only kill-and-recover|bad-input]`: crash every part of the
// running system under load, feed it bad input, and print the invariants with the counts behind them.
// Exits 1 when any invariant does not hold.
import { parseArgs } from 'node:util';
import { allHold, formatReport, type ChaosReport } from './chaos-report.js';
import { chaosProfiles, type ChaosProfileName } from './chaos-profile.js';

const { values } = parseArgs({ options: { short: { type: 'boolean', default: false }, only: { type: 'string' } } });
const profileName: ChaosProfileName = values.short ? 'short' : 'full';
const profile = chaosProfiles[profileName];
const parts = profile.parts.filter((part) => values.only === undefined || part.name === values.only);
if (parts.length === 0) {
  console.error(`unknown part "${values.only ?? ''}": one of ${profile.parts.map((part) => part.name).join(', ')}`);
  process.exit(2);
}

const reports: ChaosReport[] = [];
for (const part of parts) {
  console.log(`\n▶ ${part.name} (${profileName} profile)`);
  const report = await part.run((line) => console.log(`  ${line}`));
  reports.push(report);
  console.log(formatReport(report));
}
const ok = allHold(reports);
console.log(ok ? '\nevery invariant held' : '\nan invariant did not hold (✗ above)');
process.exit(ok ? 0 : 1);
