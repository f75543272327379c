// Debian's Chromium, which the console's browser tests drive through Playwright (a browser download
// is no option on a machine without internet). `up` installs it when it is missing and it runs as
// root; otherwise, or when the install fails, it says so and goes on: only those tests need it.
import { existsSync } from 'node:fs';
import { installCommand, installDebianPackage } from './debian-package.mjs';
import { findOnPath } from './prerequisites.mjs';
import { reportDone, reportStep } from './progress.mjs';

export const CHROMIUM = '/usr/bin/chromium';

export async function ensureBrowser() {
  if (existsSync(CHROMIUM)) return;
  const why = `the console's browser tests need ${CHROMIUM}`;
  if (process.getuid?.() !== 0 || !findOnPath('apt-get')) {
    reportStep('chromium', `missing: ${why}; install it with \`${installCommand('chromium')}\` as root`);
    return;
  }
  const startedAt = performance.now();
  try {
    await installDebianPackage('chromium', 'chromium');
    reportDone('chromium', `installed at ${CHROMIUM}`, startedAt);
  } catch (error) {
    reportStep('chromium', `not installed (${error.message}); ${why}`);
  }
}
