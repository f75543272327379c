// node --test infra/prometheus/alerts.test.mjs
// Runs promtool's rule unit tests (alerts.test.yml) and checks the generated scrape config: the alert
// thresholds of article 3 are only trustworthy if each one is seen to fire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFaultlineEnv } from '../native/env.mjs';
import { statePaths } from '../native/paths.mjs';
import { faultlineTopology, loopback } from '../topology.mjs';
import { renderPrometheusConfig } from './scrape-config.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

function promtool(args) {
  const result = spawnSync('promtool', args, { cwd: here, encoding: 'utf8' });
  if (result.error?.code === 'ENOENT') {
    assert.fail("promtool is not installed: it comes with Debian's prometheus package (`npm run infra:up` installs it as root, or `apt-get install -y --no-install-recommends prometheus`)");
  }
  return result;
}

test('every alert rule fires in promtool test rules at its threshold and not below it', () => {
  const result = promtool(['test', 'rules', 'alerts.test.yml']);
  assert.equal(result.status, 0, `promtool test rules failed:\n${result.stdout}${result.stderr}`);
});

test('the generated Prometheus config is valid and scrapes every service', () => {
  const topology = faultlineTopology(loadFaultlineEnv({ processEnv: {} }));
  const config = renderPrometheusConfig(topology, { serviceHost: loopback, rulesPath: join(here, 'alerts.yml') });
  mkdirSync(statePaths.tmp, { recursive: true });
  const path = join(mkdtempSync(join(statePaths.tmp, 'prometheus-')), 'prometheus.yml');
  writeFileSync(path, config);
  const result = promtool(['check', 'config', path]);
  assert.equal(result.status, 0, `promtool check config failed:\n${result.stdout}${result.stderr}`);
  for (const service of topology.services) assert.ok(config.includes(`${loopback}:${service.http.port}`), `scrapes ${service.name}`);
});
