// node --test infra/compose/compose.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { composeFilePath, renderCompose } from './generate.mjs';
import { loadFaultlineEnv } from '../native/env.mjs';
import { faultlineTopology, startOrder, topologyPorts } from '../topology.mjs';

const fileEnv = loadFaultlineEnv({ processEnv: {} });

test('infra/docker-compose.yml is exactly what infra/topology.mjs generates', () => {
  assert.equal(
    readFileSync(composeFilePath, 'utf8'),
    renderCompose(fileEnv),
    'infra/docker-compose.yml is stale: run `node infra/compose/generate.mjs`',
  );
});

test('every port variable of faultline.env is placed in the topology, with its value', () => {
  const placed = topologyPorts(faultlineTopology(fileEnv));
  const placedVariables = new Set(placed.map((p) => p.variable));
  for (const [name, value] of Object.entries(fileEnv).filter(([name]) => name.endsWith('_PORT'))) {
    assert.ok(placedVariables.has(name), `${name} appears nowhere in infra/topology.mjs`);
    const entry = placed.find((p) => p.variable === name);
    assert.equal(entry.port, value, `${name} is placed with the wrong value`);
  }
});

test('no two places in the topology claim the same port', () => {
  const placed = topologyPorts(faultlineTopology(fileEnv));
  const seen = new Map();
  for (const { owner, name, port } of placed) {
    assert.ok(!seen.has(port), `port ${port} is used by ${seen.get(port)} and ${owner}/${name}`);
    seen.set(port, `${owner}/${name}`);
  }
});

test('every port of the compose file comes from a faultline.env variable', () => {
  const compose = readFileSync(composeFilePath, 'utf8');
  const mappings = [...compose.matchAll(/"127\.0\.0\.1:(\$\{[^}]*\}|\d+):(\$\{[^}]*\}|\d+)"/g)];
  assert.ok(mappings.length >= 10, 'expected the published ports of every service');
  for (const [mapping, published, inside] of mappings) {
    for (const side of [published, inside]) {
      assert.match(side, /^\$\{[A-Z_]+_PORT:-\d+\}$/, `hard-coded port in ${mapping}`);
    }
  }
});

test('dependencies name known components and start before their dependants', () => {
  const ordered = startOrder(faultlineTopology(fileEnv).components).map((c) => c.name);
  for (const component of faultlineTopology(fileEnv).components) {
    for (const dependency of component.dependsOn) {
      assert.ok(ordered.indexOf(dependency) < ordered.indexOf(component.name), `${dependency} must start before ${component.name}`);
    }
  }
});
