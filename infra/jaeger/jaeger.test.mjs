// node --test infra/jaeger/jaeger.test.mjs
// The Go module that builds Jaeger pins the release infra/topology.mjs names, and jaeger.yaml takes
// every address from the variables the topology places, so no port of Jaeger's is left at a default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { jaegerConfigPath } from '../native/components/jaeger.mjs';
import { loadFaultlineEnv } from '../native/env.mjs';
import { faultlineTopology, loopback, versions } from '../topology.mjs';

const goMod = readFileSync(new URL('./go.mod', import.meta.url), 'utf8');
const config = readFileSync(jaegerConfigPath, 'utf8');
const jaegerSpec = faultlineTopology(loadFaultlineEnv({ processEnv: {} })).components.find((c) => c.name === 'jaeger');

test('infra/jaeger/go.mod declares the jaeger command as a tool, at the module version of the topology', () => {
  assert.match(goMod, /^tool github\.com\/jaegertracing\/jaeger\/cmd\/jaeger$/m);
  const required = goMod.match(/^\s*github\.com\/jaegertracing\/jaeger (v\S+)/m)?.[1];
  assert.equal(required, `v${versions.jaegerModule}`, 'bump versions.jaeger and versions.jaegerModule together with go.mod');
});

test('every endpoint of jaeger.yaml is the listen host and a port variable of the topology, and every port is used', () => {
  const endpoints = [...config.matchAll(/^\s*endpoint:\s*"([^"]*)"/gm)].map((match) => match[1]);
  const variables = endpoints.map((endpoint) => {
    const parts = endpoint.match(/^\$\{env:JAEGER_LISTEN_HOST:-([^}]+)\}:\$\{env:([A-Z_]+)\}$/);
    assert.ok(parts, `endpoint ${endpoint} must read its host and port from the environment`);
    assert.equal(parts[1], loopback, `endpoint ${endpoint} must default to loopback`);
    return parts[2];
  });
  assert.deepEqual(variables.toSorted(), jaegerSpec.ports.map((p) => p.variable).toSorted());
});

test('jaeger.yaml reads no other variable, so nothing outside faultline.env moves a port', () => {
  const read = new Set([...config.matchAll(/\$\{env:([A-Z_]+)/g)].map((match) => match[1]));
  assert.deepEqual([...read].toSorted(), ['JAEGER_LISTEN_HOST', ...jaegerSpec.ports.map((p) => p.variable)].toSorted());
});
