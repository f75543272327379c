import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkViews } from './infrastructure.js';

describe('linkViews', () => {
  it('draws a disabled proxy as cut, one with toxics as slowed (naming them), the rest open, by name', () => {
    const views = linkViews({
      smtp: { name: 'smtp', listen: '127.0.0.1:25437', upstream: '127.0.0.1:11025', enabled: true, toxics: [] },
      'billing-postgres': { name: 'billing-postgres', listen: '127.0.0.1:25433', upstream: '127.0.0.1:15432', enabled: false, toxics: [] },
      kafka: {
        name: 'kafka',
        listen: '127.0.0.1:19095',
        upstream: '127.0.0.1:19094',
        enabled: true,
        toxics: [{ name: 'latency_downstream', type: 'latency', attributes: { latency: 800, jitter: 0 } }],
      },
    });
    assert.deepEqual(views, [
      { name: 'billing-postgres', listen: '127.0.0.1:25433', upstream: '127.0.0.1:15432', state: 'cut', detail: 'disabled: connections are refused' },
      { name: 'kafka', listen: '127.0.0.1:19095', upstream: '127.0.0.1:19094', state: 'slowed', detail: 'latency {"latency":800,"jitter":0}' },
      { name: 'smtp', listen: '127.0.0.1:25437', upstream: '127.0.0.1:11025', state: 'open', detail: 'open' },
    ]);
  });
});
