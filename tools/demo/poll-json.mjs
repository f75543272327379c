// GETs a JSON resource until it shows what the demo waits for.

/**
 * GETs a URL until `ready(body)` holds: the consumers apply events asynchronously, and a consumer
 * that was stopped while other runs (npm test, scenarios) published events first works through
 * that backlog, in order, before it reaches ours.
 */
export async function pollJson(url, ready, headers = {}, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  const noteAfter = Date.now() + 3_000;
  let noted = false;
  for (;;) {
    if (!noted && Date.now() > noteAfter) {
      noted = true;
      console.log('  … still applying events published while it was stopped (consumer lag); waiting for ours');
    }
    const response = await fetch(url, { headers });
    const body = response.ok ? await response.json() : undefined;
    if (body && ready(body)) return body;
    if (Date.now() > deadline) throw new Error(`${url} did not show the order within ${timeoutMs / 1000} s (last: HTTP ${response.status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
