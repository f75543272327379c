import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latencyChartSvg, type LatencySeries } from './latency-chart.js';

const series: LatencySeries[] = [
  { name: 'ours p99', color: '#c00', points: [{ load: 200, latencyMs: 12 }, { load: 1000, latencyMs: 40 }, { load: 500, latencyMs: 20 }] },
  { name: 'raw p99 <kafkajs>', color: '#06c', dashed: true, points: [{ load: 200, latencyMs: 4 }, { load: 500, latencyMs: 5 }, { load: 1000, latencyMs: 9 }] },
];

describe('latency chart', () => {
  it('renders one SVG document with a polyline of every point per series, in load order', () => {
    const svg = latencyChartSvg('Commit → consumed', series);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\n$/);
    const polylines = [...svg.matchAll(/<polyline data-series="([^"]+)"[^>]* points="([^"]+)"\/>/g)];
    assert.deepEqual(
      polylines.map((match) => match[1]),
      ['ours p99', 'raw p99 &lt;kafkajs&gt;'],
    );
    const xs = (polylines[0]?.[2] ?? '').split(' ').map((point) => Number(point.split(',')[0]));
    assert.equal(xs.length, 3);
    assert.deepEqual(xs, [...xs].sort((a, b) => a - b));
    assert.match(svg, /stroke-dasharray/);
  });

  it('draws latencies three orders of magnitude apart on a log axis with one gridline per decade', () => {
    const svg = latencyChartSvg('wide', [{ name: 'backlog', color: '#000', points: [{ load: 100, latencyMs: 2 }, { load: 1000, latencyMs: 30_000 }] }]);
    const labels = [...svg.matchAll(/text-anchor="end">([\d,]+)<\/text>/g)].map((match) => match[1]);
    assert.deepEqual(labels, ['1', '10', '100', '1,000', '10,000', '100,000']);
  });

  it('escapes text so a series name cannot break the markup', () => {
    const svg = latencyChartSvg('a & b', series);
    assert.match(svg, /<title>a &amp; b<\/title>/);
    assert.doesNotMatch(svg, /<kafkajs>/);
    // Every opened element is closed or self-closing: a crude well-formedness check without an XML parser.
    const opened = (svg.match(/<(svg|text|title)\b/g) ?? []).length;
    const closed = (svg.match(/<\/(svg|text|title)>/g) ?? []).length;
    assert.equal(opened, closed);
  });
});
