import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { workspaceRoot } from '../testing/service-process.js';

/** Debian's chromium package: browser downloads are not an option on a machine without internet. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium driven by Playwright, for the console's browser tests and its benchmark. Its profile and Playwright's scratch files go under
 * .faultline/tmp/browser (the process's TMPDIR is pointed there first), and the flags keep Chromium
 * off the network it would otherwise call home to at start. Fails, never skips, without the browser.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: \`npm run infra:up\` installs Debian's chromium when it can; otherwise apt-get install -y --no-install-recommends chromium`);
  }
  const scratch = join(workspaceRoot(), '.faultline', 'tmp', 'browser');
  mkdirSync(scratch, { recursive: true });
  process.env.TMPDIR = scratch;
  return chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, TMPDIR: scratch },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
