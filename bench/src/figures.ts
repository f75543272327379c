/**
 * A benchmark's output: figures, each ours against a baseline measured in the same run on the same
 * PostgreSQL and Kafka, and the target the issue set for it. The ratio is always ours ÷ baseline, so
 * "≥ 0.7×" means "at least 70 % of the baseline's throughput" and "≤ 5×" means "at most five times
 * the baseline's latency".
 */
export type Target =
  /** ours ÷ baseline must be at least `value` (throughput: higher is better). */
  | { kind: 'ratio-at-least'; value: number }
  /** ours ÷ baseline must be at most `value` (latency: lower is better). */
  | { kind: 'ratio-at-most'; value: number }
  /** ours alone must stay below `value`, in the figure's unit (memory). */
  | { kind: 'below'; value: number };

export interface Figure {
  /** What is measured, e.g. "event-store append, single (events/s)". */
  name: string;
  unit: string;
  /** null when it could not be measured here; `note` says why. */
  ours: number | null;
  baseline: number | null;
  /** What the baseline is, e.g. "Emmett appendToStream". */
  baselineName?: string;
  target?: Target;
  note?: string;
}

export interface TableRow {
  figure: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

export type Verdict = 'met' | 'missed' | 'not measured' | 'no target';

export function ratioOf(figure: Figure): number | null {
  if (figure.ours === null || figure.baseline === null || figure.baseline === 0) return null;
  return figure.ours / figure.baseline;
}

/** Whether the figure meets its target; never "met" for something that was not measured. */
export function verdictOf(figure: Figure): Verdict {
  if (!figure.target) return figure.ours === null ? 'not measured' : 'no target';
  if (figure.target.kind === 'below') {
    return figure.ours === null ? 'not measured' : figure.ours < figure.target.value ? 'met' : 'missed';
  }
  const ratio = ratioOf(figure);
  if (ratio === null) return 'not measured';
  const met = figure.target.kind === 'ratio-at-least' ? ratio >= figure.target.value : ratio <= figure.target.value;
  return met ? 'met' : 'missed';
}

export function describeTarget(target: Target | undefined, unit: string): string {
  if (!target) return '—';
  switch (target.kind) {
    case 'ratio-at-least':
      return `≥ ${target.value}×`;
    case 'ratio-at-most':
      return `≤ ${target.value}×`;
    case 'below':
      return `< ${formatNumber(target.value)} ${unit}`;
  }
}

/** Three significant digits below 100, whole numbers with thousands separators above. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

export function tableRow(figure: Figure): TableRow {
  const ratio = ratioOf(figure);
  const verdict = verdictOf(figure);
  return {
    figure: `${figure.name} (${figure.unit})`,
    ours: figure.ours === null ? (figure.note ?? 'not measured') : formatNumber(figure.ours),
    // A measured figure without a baseline says why the baseline is missing.
    baseline:
      figure.baseline === null
        ? figure.ours === null ? '—' : (figure.note ?? '—')
        : `${formatNumber(figure.baseline)}${figure.baselineName ? ` (${figure.baselineName})` : ''}`,
    ratio: ratio === null ? '—' : `${ratio.toFixed(2)}×`,
    target: describeTarget(figure.target, figure.unit),
    met: verdict === 'met' ? 'yes' : verdict === 'missed' ? 'NO' : verdict === 'not measured' ? 'not measured' : '—',
  };
}

const HEADINGS: TableRow = { figure: 'figure', ours: 'ours', baseline: 'baseline', ratio: 'ratio', target: 'target', met: 'met?' };
const COLUMNS = Object.keys(HEADINGS) as (keyof TableRow)[];

/** The table for the terminal: columns padded to their widest cell. */
export function textTable(figures: readonly Figure[]): string {
  const rows = [HEADINGS, ...figures.map(tableRow)];
  const widths = COLUMNS.map((column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: TableRow) => COLUMNS.map((column, i) => row[column].padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(HEADINGS), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The same table in Markdown, for bench/results and docs/performance.md. */
export function markdownTable(figures: readonly Figure[]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const line = (row: TableRow) => `| ${COLUMNS.map((column) => escape(row[column])).join(' | ')} |`;
  return [line(HEADINGS), `|${COLUMNS.map(() => '---').join('|')}|`, ...figures.map((figure) => line(tableRow(figure)))].join('\n');
}
