import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadFaultlineEnv, parseEnvText, faultlineEnvPath } from './env.mjs';
import { statePaths } from './paths.mjs';

function withEnvFile(text, run) {
  mkdirSync(statePaths.tmp, { recursive: true });
  const dir = mkdtempSync(join(statePaths.tmp, 'env-'));
  try {
    const envFile = join(dir, 'faultline.env');
    writeFileSync(envFile, text);
    return run(envFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('reads the values of the file when the process sets nothing', () => {
  withEnvFile('A_PORT=1234\n# comment\n\nB_PASSWORD=secret\n', (envFile) => {
    assert.deepEqual(loadFaultlineEnv({ envFile, processEnv: {} }), { A_PORT: '1234', B_PASSWORD: 'secret' });
  });
});

test('the process environment overrides the file', () => {
  withEnvFile('A_PORT=1234\nB_PASSWORD=secret\n', (envFile) => {
    const env = loadFaultlineEnv({ envFile, processEnv: { A_PORT: '4321' } });
    assert.equal(env.A_PORT, '4321');
    assert.equal(env.B_PASSWORD, 'secret');
  });
});

test('an empty process variable does not override, and unrelated process variables are not returned', () => {
  withEnvFile('A_PORT=1234\n', (envFile) => {
    const env = loadFaultlineEnv({ envFile, processEnv: { A_PORT: '', HOME: 'home-of-the-user' } });
    assert.deepEqual(env, { A_PORT: '1234' });
  });
});

test('returns a plain object', () => {
  withEnvFile('A=1\n', (envFile) => {
    const env = loadFaultlineEnv({ envFile, processEnv: {} });
    assert.equal(Object.getPrototypeOf(env), Object.prototype);
  });
});

test('parses quotes, export prefixes and trailing comments', () => {
  assert.deepEqual(parseEnvText('export A=1\nB="two words" # note\nC=\'x#y\'\nD=plain # note\nE=a#b\n'), {
    A: '1',
    B: 'two words',
    C: 'x#y',
    D: 'plain',
    E: 'a#b',
  });
});

test('rejects a malformed line with its line number', () => {
  assert.throws(() => parseEnvText('A=1\nnot a pair\n'), /line 2/);
});

test('the default file is infra/faultline.env and defines the primary port', () => {
  assert.match(faultlineEnvPath, /infra[\\/]faultline\.env$/);
  const env = loadFaultlineEnv({ processEnv: {} });
  assert.match(env.PG_PRIMARY_PORT, /^\d+$/);
});
