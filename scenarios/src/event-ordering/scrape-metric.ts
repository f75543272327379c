/**
 * Reads a service's /metrics (Prometheus text) and sums the samples of `name` whose labels include
 * every given label; 0 when there are none. Enough for a scenario's measurements; not a parser for
 * every corner of the format.
 */
export async function scrapeMetric(serviceUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample || sample[1] !== name) continue;
    const present = sample[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => present.includes(`${key}="${value}"`))) sum += Number(sample[3]);
  }
  return sum;
}
