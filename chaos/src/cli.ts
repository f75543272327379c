#!/usr/bin/env node
// `npm run chaos [-- --short] [-- --only kill-and-recover|bad-input]`: crash every part of the
// running system under load, feed it bad input, and print the invariants with the counts behind them.
// Exits 1 when any invariant does not hold; `--help` prints the usage (command-line.ts).
import { allHold, formatReport, type ChaosReport } from './chaos-report.js';
import { chaosProfiles } from './chaos-profile.js';
import { commandLine } from './command-line.js';

const { profileName, only } = commandLine.read();
const parts = chaosProfiles[profileName].parts.filter((part) => only === undefined || part.name === only);

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
