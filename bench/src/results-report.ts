import { cpus, totalmem, hostname, loadavg } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable, type Figure } from './figures.js';
import { latencyChartSvg, type LatencySeries } from './latency-chart.js';

/** Where and with what a run measured: printed with every result, since figures mean nothing without it. */
export interface MachineDescription {
  cpus: string;
  cpuCount: number;
  memoryGb: number;
  loadAverageAtStart: number[];
  node: string;
  postgres: string;
  kafka: string;
  host: string;
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  mode: 'quick' | 'full';
  machine: MachineDescription;
  figures: Figure[];
  settings: Record<string, Record<string, unknown>>;
  latencySeries: LatencySeries[];
}

export function describeMachine(postgres: string, kafka: string): MachineDescription {
  const processors = cpus();
  return {
    cpus: processors[0]?.model ?? 'unknown',
    cpuCount: processors.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAverageAtStart: loadavg().map((load) => Math.round(load * 100) / 100),
    node: process.version,
    postgres,
    kafka,
    host: hostname(),
  };
}

/** The Kafka version the native topology runs, as its provisioning states it (else "unknown"). */
export function kafkaVersion(workspaceRoot: string): string {
  const file = join(workspaceRoot, 'infra', 'native', 'components', 'kafka.mjs');
  if (!existsSync(file)) return 'unknown';
  return /Apache Kafka (\d+\.\d+\.\d+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? 'unknown';
}

export const CHART_FILE = 'latency-vs-load.svg';
const LATEST_START = '<!-- latest-results:start (rewritten by npm run bench) -->';
const LATEST_END = '<!-- latest-results:end -->';

/** The run as Markdown: the table, then the machine and the settings each benchmark ran with. */
export function reportMarkdown(report: RunReport): string {
  const { machine } = report;
  return [
    `Run of ${report.startedAt} (${report.mode} mode), ended ${report.finishedAt.slice(11, 19)} UTC.`,
    '',
    markdownTable(report.figures),
    '',
    `Machine: ${machine.cpuCount} × ${machine.cpus}, ${machine.memoryGb} GB, load average at start ${machine.loadAverageAtStart.join(' / ')}; ` +
      `Node ${machine.node}; PostgreSQL ${machine.postgres}; Kafka ${machine.kafka}.`,
    '',
    'Settings:',
    '',
    ...Object.entries(report.settings).map(([benchmark, settings]) => `- ${benchmark}: \`${JSON.stringify(settings)}\``),
    '',
  ].join('\n');
}

/**
 * Writes bench/results/<timestamp>.json and .md and the chart, and replaces the "Latest results"
 * section of docs/performance.md between its markers (the rest of the page is written by hand).
 */
export function writeReport(workspaceRoot: string, report: RunReport): string[] {
  const results = join(workspaceRoot, 'bench', 'results');
  mkdirSync(results, { recursive: true });
  const stamp = report.startedAt.replaceAll(':', '-');
  const written = [join(results, `${stamp}.json`), join(results, `${stamp}.md`)];
  writeFileSync(written[0] as string, `${JSON.stringify(report, null, 2)}\n`);
  const markdown = reportMarkdown(report);
  writeFileSync(written[1] as string, `# Bench run ${report.startedAt}\n\n${markdown}`);
  if (report.latencySeries.length > 0) {
    const chart = join(results, CHART_FILE);
    writeFileSync(chart, latencyChartSvg('Commit → applied latency against offered load', report.latencySeries));
    written.push(chart);
  }
  const page = join(workspaceRoot, 'docs', 'performance.md');
  if (existsSync(page)) {
    const text = readFileSync(page, 'utf8');
    const start = text.indexOf(LATEST_START);
    const end = text.indexOf(LATEST_END);
    if (start >= 0 && end > start) {
      const chartLine = report.latencySeries.length > 0 ? `\n![Latency against load](../bench/results/${CHART_FILE})\n` : '';
      writeFileSync(page, `${text.slice(0, start + LATEST_START.length)}\n${markdown}${chartLine}${text.slice(end)}`);
      written.push(page);
    }
  }
  return written;
}
