/**
 * `npm run bench` (node bench/dist/cli.js [--only <name>[,<name>…]] [--quick]): runs each benchmark in
 * turn on the local PostgreSQL and Kafka, prints every figure against its baseline and target, and
 * (a full run of every benchmark only) records the run under bench/results/ and in
 * docs/performance.md. `--help` prints the usage (command-line.ts). See docs/decisions/0010-benchmarks.md.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@nestjs/common';
import { BenchEnvironment } from './bench-environment.js';
import { commandLine } from './command-line.js';
import { textTable, type Figure } from './figures.js';
import type { LatencySeries } from './latency-chart.js';
import { describeMachine, kafkaVersion, writeReport } from './results-report.js';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { only, quick, selected } = commandLine.read();

// The relays log every leadership change through Nest's logger: noise between the figures.
Logger.overrideLogger(['error', 'warn']);

const startedAt = new Date().toISOString();
const bench = await BenchEnvironment.open();
const machine = describeMachine(await bench.postgresVersion(), kafkaVersion(workspaceRoot));
console.log(`faultline bench${quick ? ' (quick)' : ''} run ${bench.runId}: ${machine.cpuCount} CPUs, Node ${machine.node}, PostgreSQL ${machine.postgres}, Kafka ${machine.kafka}`);

const figures: Figure[] = [];
const settings: Record<string, Record<string, unknown>> = {};
const latencySeries: LatencySeries[] = [];
let failed = false;
try {
  for (const benchmark of selected) {
    console.log(`\n▶ ${benchmark.name}: ${benchmark.measures}`);
    const started = performance.now();
    try {
      const outcome = await benchmark.run({ bench, quick, log: (line) => console.log(line) });
      figures.push(...outcome.figures);
      settings[benchmark.name] = outcome.settings;
      latencySeries.push(...(outcome.latencySeries ?? []));
      console.log(`✓ ${benchmark.name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      // One broken benchmark must not hide the others' figures; the run still exits non-zero.
      failed = true;
      console.error(`✗ ${benchmark.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
} finally {
  await bench.close();
}

console.log(`\n${textTable(figures)}\n`);
if (quick || only) {
  // A development run's figures are not the project's: only a full run of everything is recorded.
  console.log('not recorded: only a full run of every benchmark writes bench/results/ and docs/performance.md');
  process.exit(failed ? 1 : 0);
}
const written = writeReport(workspaceRoot, {
  startedAt,
  finishedAt: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine,
  figures,
  settings,
  latencySeries,
});
console.log(`written: ${written.map((file) => file.slice(workspaceRoot.length + 1)).join(', ')}`);
process.exit(failed ? 1 : 0);
