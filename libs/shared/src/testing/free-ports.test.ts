import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePorts } from './service-process.js';

describe('freePorts', () => {
  it('hands out ports that are all different and all bindable once it returns', async () => {
    const ports = await freePorts(8);
    assert.equal(new Set(ports).size, 8, `ports repeat: ${ports.join(', ')}`);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
