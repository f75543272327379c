import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ConfigurationError, loadConfig, port } from './load-config.js';
import { readFaultlineEnvironment } from './faultline-env-file.js';

const schema = z.object({ ORDERS_HTTP_PORT: port(), ORDERS_DB_PASSWORD: z.string().min(1) });

describe('loadConfig', () => {
  it('returns typed values when every variable is valid', () => {
    const config = loadConfig('orders', schema, { ORDERS_HTTP_PORT: '3101', ORDERS_DB_PASSWORD: 'x' });
    assert.deepEqual(config, { ORDERS_HTTP_PORT: 3101, ORDERS_DB_PASSWORD: 'x' });
  });

  it('names every missing or malformed variable in one error', () => {
    assert.throws(
      () => loadConfig('orders', schema, { ORDERS_HTTP_PORT: 'eighty' }),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        /ORDERS_HTTP_PORT="eighty" is invalid/.test(error.message) &&
        /ORDERS_DB_PASSWORD is required/.test(error.message) &&
        /infra\/faultline\.env/.test(error.message),
    );
  });
});

describe('readFaultlineEnvironment', () => {
  it('reads the repository env file and lets the process environment win', () => {
    const env = readFaultlineEnvironment({ PG_PRIMARY_PORT: '25999' });
    assert.equal(env.PG_PRIMARY_PORT, '25999');
    assert.match(env.KAFKA_PORT ?? '', /^\d+$/);
  });
});
