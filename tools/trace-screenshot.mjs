#!/usr/bin/env node
// node tools/trace-screenshot.mjs <trace id> <png file>
// Reads one trace from Jaeger's query API, renders it as the demo's trace page and photographs the
// page in headless Chromium (Debian's, driven by Playwright): how docs/observability.md gets its
// picture of the demo order's trace. Needs the infrastructure up and Debian's chromium package.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { readCommandLine } from './command-line.mjs';
import { awaitTrace } from './demo/order-trace.mjs';
import { tracePage } from './demo/trace-page.mjs';
import { env } from './local-services.mjs';

const CHROMIUM = '/usr/bin/chromium';

const { positionals } = readCommandLine({
  invocation: 'node tools/trace-screenshot.mjs',
  usage: `usage: node tools/trace-screenshot.mjs <trace id> <png file>

Photographs one trace, read from Jaeger's query API (JAEGER_QUERY_HTTP_PORT), as the demo's trace
page, in headless Chromium. Needs Debian's chromium (apt-get install -y --no-install-recommends chromium).

example:
  node tools/trace-screenshot.mjs 0e6794d0e454d0361f25cc7ac5c9bc3f docs/images/demo-order-trace.png`,
  allowPositionals: true,
});
const [traceId, output] = positionals;
if (!/^[0-9a-f]{32}$/.test(traceId ?? '') || !output) {
  console.error('usage: node tools/trace-screenshot.mjs <trace id (32 hex digits)> <png file>');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium)`);
  process.exit(1);
}

const spans = await awaitTrace(`http://127.0.0.1:${env.JAEGER_QUERY_HTTP_PORT}`, traceId, 'smtp send', 10_000);
if (spans.length === 0) {
  console.error(`Jaeger has no trace ${traceId} (it keeps traces in memory until it stops)`);
  process.exit(1);
}
// The flags keep Chromium off the network it would otherwise call home to at start.
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.setContent(tracePage(traceId, spans));
  mkdirSync(dirname(resolve(output)), { recursive: true });
  await page.screenshot({ path: output, fullPage: true });
  console.log(`${output}: trace ${traceId}, ${spans.length} spans`);
} finally {
  await browser.close();
}
