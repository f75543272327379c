// One trace as a self-contained HTML page: a waterfall of its spans, for a browser on a machine
// where Jaeger runs without its web UI (the native build ships none).
import { traceRows } from './order-trace.mjs';

const SERVICE_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1', '#edc948', '#9c755f'];

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** The page: a header naming the trace, then one row per span with its bar on a shared time axis. */
export function tracePage(traceId, spans) {
  const ordered = traceRows(spans);
  const begin = Math.min(...ordered.map((row) => row.start));
  const total = Math.max(...ordered.map((row) => row.start + row.micros)) - begin || 1;
  const services = [...new Set(ordered.map((row) => row.service))];
  const colour = (service) => SERVICE_COLOURS[services.indexOf(service) % SERVICE_COLOURS.length];
  const body = ordered
    .map((row) => {
      const left = ((row.start - begin) / total) * 100;
      const width = Math.max((row.micros / total) * 100, 0.2);
      return `<tr><td class="service" style="color:${colour(row.service)}">${escape(row.service)}</td>` +
        `<td class="name" style="padding-left:${row.depth * 14 + 4}px">${escape(row.name)}</td>` +
        `<td class="lane"><div class="bar" style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%;background:${colour(row.service)}"></div></td>` +
        `<td class="ms">${(row.micros / 1000).toFixed(1)} ms</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>trace ${escape(traceId)}</title>
<style>
  body { font: 13px system-ui, sans-serif; margin: 16px; color: #222; }
  h1 { font-size: 16px; margin: 0 0 4px; } p { margin: 0 0 12px; color: #555; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  td { padding: 2px 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-bottom: 1px solid #eee; }
  td.service { width: 150px; font-weight: 600; } td.name { width: 440px; } td.ms { width: 80px; text-align: right; color: #555; }
  td.lane { position: relative; } .bar { position: absolute; top: 4px; height: 10px; border-radius: 2px; }
</style></head>
<body>
<h1>Trace ${escape(traceId)}</h1>
<p>${spans.length} spans from ${services.map(escape).join(', ')} over ${(total / 1000).toFixed(0)} ms; SQL statements folded into one row per span. Read from Jaeger's query API.</p>
<table>
${body}
</table>
</body></html>
`;
}
