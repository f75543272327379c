import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ConfigurationError, loadConfig } from '../config/index.js';
import { DEFAULT_ABUSE_LIMITS } from './abuse-limits.js';
import { abuseLimitsEnvironment, abuseLimitsEnvironmentWith, resolveAbuseLimits } from './abuse-limits-environment.js';

const schema = z.object(abuseLimitsEnvironment);
const limitsOf = (env: Record<string, string>) => resolveAbuseLimits(loadConfig('test', schema, env));

describe('abuse limits from the environment', () => {
  it('takes the production defaults when nothing is set, trusting no proxy', () => {
    assert.deepEqual(limitsOf({}), DEFAULT_ABUSE_LIMITS);
    assert.equal(DEFAULT_ABUSE_LIMITS.trustedProxies, false);
  });

  it('reads every limit from its variable', () => {
    const limits = limitsOf({
      FAULTLINE_RATE_LIMIT_WRITES_PER_MINUTE: '120',
      FAULTLINE_RATE_LIMIT_READS_PER_MINUTE: '1200',
      FAULTLINE_RATE_LIMIT_CREDENTIALS_PER_MINUTE: '30',
      FAULTLINE_RATE_LIMIT_PEER_SERVICES_PER_MINUTE: '9000',
      FAULTLINE_JSON_BODY_LIMIT_BYTES: '1048576',
      FAULTLINE_MAX_HEADER_BYTES: '32768',
      FAULTLINE_TRUST_PROXY: '2',
    });
    assert.deepEqual(limits, {
      requestsPerMinute: { writes: 120, reads: 1200, credentials: 30, 'peer-services': 9000 },
      jsonBodyBytes: 1_048_576,
      headerBytes: 32_768,
      trustedProxies: 2,
    });
  });

  it('trusts a list of proxies by address, subnet or group, and nothing for an empty value', () => {
    assert.deepEqual(limitsOf({ FAULTLINE_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.0.2.4' }).trustedProxies, ['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.4']);
    assert.equal(limitsOf({ FAULTLINE_TRUST_PROXY: '' }).trustedProxies, false);
  });

  it('names each malformed variable', () => {
    assert.throws(
      () => limitsOf({ FAULTLINE_RATE_LIMIT_WRITES_PER_MINUTE: '0', FAULTLINE_MAX_HEADER_BYTES: '12', FAULTLINE_TRUST_PROXY: 'everyone, 10.0.0.0/33' }),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        /FAULTLINE_RATE_LIMIT_WRITES_PER_MINUTE="0" is invalid/.test(error.message) &&
        /FAULTLINE_MAX_HEADER_BYTES="12" is invalid/.test(error.message) &&
        /FAULTLINE_TRUST_PROXY=.*everyone, 10\.0\.0\.0\/33: expected a hop count/.test(error.message),
    );
  });

  it('lets a service state other defaults for its own callers', () => {
    const provider = { ...DEFAULT_ABUSE_LIMITS, requestsPerMinute: { ...DEFAULT_ABUSE_LIMITS.requestsPerMinute, writes: 6_000 } };
    const limits = resolveAbuseLimits(loadConfig('test', z.object(abuseLimitsEnvironmentWith(provider)), {}));
    assert.equal(limits.requestsPerMinute.writes, 6_000);
    assert.equal(limits.requestsPerMinute.credentials, DEFAULT_ABUSE_LIMITS.requestsPerMinute.credentials);
  });
});
