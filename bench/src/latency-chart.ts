/** One line of the chart: a latency percentile at each offered load. */
export interface LatencySeries {
  name: string;
  color: string;
  /** Drawn dashed: the raw baseline, so ours and the baseline read apart at a glance. */
  dashed?: boolean;
  points: readonly { load: number; latencyMs: number }[];
}

const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = { top: 30, right: 170, bottom: 50, left: 60 };
const TICKS = 5;

/**
 * Latency (log scale) against offered load as a small hand-written SVG: axes, ticks, one polyline
 * per series and a legend. No chart library: five lines of data do not justify a dependency.
 */
export function latencyChartSvg(title: string, series: readonly LatencySeries[]): string {
  const points = series.flatMap((line) => line.points);
  const maxLoad = niceCeiling(Math.max(1, ...points.map((point) => point.load)));
  // Logarithmic latency axis, whole decades: a backlog's seconds and a raw consumer's milliseconds
  // differ by three orders of magnitude and must both stay readable.
  const lowDecade = Math.floor(Math.log10(Math.max(1, Math.min(...points.map((point) => point.latencyMs)))));
  const highDecade = Math.max(lowDecade + 1, Math.ceil(Math.log10(Math.max(1, ...points.map((point) => point.latencyMs)))));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (load: number) => MARGIN.left + (load / maxLoad) * plotWidth;
  const y = (latency: number) =>
    MARGIN.top + plotHeight - ((Math.log10(Math.max(latency, 10 ** lowDecade)) - lowDecade) / (highDecade - lowDecade)) * plotHeight;
  const ticks = Array.from({ length: TICKS + 1 }, (_, i) => i / TICKS);
  const bottom = MARGIN.top + plotHeight;
  const decades = Array.from({ length: highDecade - lowDecade + 1 }, (_, i) => 10 ** (lowDecade + i));

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="14">${escapeXml(title)}</text>`,
    // Axes.
    `<line x1="${MARGIN.left}" y1="${bottom}" x2="${x(maxLoad)}" y2="${bottom}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" y1="${bottom}" x2="${MARGIN.left}" y2="${MARGIN.top}" stroke="black"/>`,
    ...ticks.map((t) => {
      const load = t * maxLoad;
      return `<text x="${x(load)}" y="${bottom + 16}" text-anchor="middle">${round(load)}</text>`;
    }),
    ...decades.map(
      (latency) =>
        `<line x1="${MARGIN.left}" y1="${y(latency)}" x2="${x(maxLoad)}" y2="${y(latency)}" stroke="#ddd"/>` +
        `<text x="${MARGIN.left - 6}" y="${y(latency) + 4}" text-anchor="end">${latency.toLocaleString('en-US')}</text>`,
    ),
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle">offered load (events/s)</text>`,
    `<text x="16" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotHeight / 2})">latency (ms, log scale)</text>`,
  ];
  series.forEach((line, index) => {
    const sorted = [...line.points].sort((a, b) => a.load - b.load);
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<polyline data-series="${escapeXml(line.name)}" fill="none" stroke="${line.color}" stroke-width="2"${dash} points="${sorted
        .map((point) => `${round(x(point.load))},${round(y(point.latencyMs))}`)
        .join(' ')}"/>`,
      ...sorted.map((point) => `<circle cx="${round(x(point.load))}" cy="${round(y(point.latencyMs))}" r="3" fill="${line.color}"/>`),
    );
    const legendY = MARGIN.top + 10 + index * 18;
    const legendX = WIDTH - MARGIN.right + 12;
    parts.push(
      `<line x1="${legendX}" y1="${legendY}" x2="${legendX + 24}" y2="${legendY}" stroke="${line.color}" stroke-width="2"${dash}/>`,
      `<text x="${legendX + 30}" y="${legendY + 4}">${escapeXml(line.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** 1, 2 or 5 times a power of ten, at or above `value`: axis ends that read well. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return step * power;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
