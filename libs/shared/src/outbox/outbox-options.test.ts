import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../config/index.js';
import { OUTBOX_DEFAULTS, resolveOutboxOptions } from './outbox-options.js';

const producer = { name: 'orders', version: '1.0.0' };

describe('outbox options', () => {
  it('publish in order from the "outbox" table by default', () => {
    assert.deepEqual(resolveOutboxOptions({ producer }, {}), { producer, ...OUTBOX_DEFAULTS });
    assert.equal(OUTBOX_DEFAULTS.publishing, 'ordered');
    assert.equal(OUTBOX_DEFAULTS.publishedRows, 'marked');
  });

  it('keep published rows marked unless told to delete them, and name the option when its value is unknown', () => {
    assert.equal(resolveOutboxOptions({ producer, publishedRows: 'deleted' }, {}).publishedRows, 'deleted');
    assert.throws(
      () => resolveOutboxOptions({ producer, publishedRows: 'archived' as 'deleted' }, {}),
      (error: Error) => error instanceof ConfigurationError && /option publishedRows/.test(error.message),
    );
  });

  it('refuse naive publishing outside workshop mode, naming the variable that allows it', () => {
    for (const env of [{}, { FAULTLINE_WORKSHOP_MODE: 'false' }, { FAULTLINE_WORKSHOP_MODE: '1' }]) {
      assert.throws(
        () => resolveOutboxOptions({ producer, publishing: 'naive' }, env),
        (error: Error) =>
          error instanceof ConfigurationError && /naive.*article 4.*FAULTLINE_WORKSHOP_MODE=true/s.test(error.message),
      );
    }
  });

  it('allow naive publishing when the service runs in workshop mode', () => {
    const options = resolveOutboxOptions({ producer, publishing: 'naive' }, { FAULTLINE_WORKSHOP_MODE: 'true' });
    assert.equal(options.publishing, 'naive');
  });

  it('reject a table name that could not be spliced into SQL, and numbers out of range, naming each option', () => {
    assert.throws(
      () => resolveOutboxOptions({ producer, table: 'outbox; DROP TABLE orders', batchSize: 0, pollIntervalMs: 1 }, {}),
      (error: Error) =>
        error instanceof ConfigurationError &&
        /option table: must be a lower-case SQL identifier/.test(error.message) &&
        /option batchSize/.test(error.message) &&
        /option pollIntervalMs/.test(error.message),
    );
    assert.equal(resolveOutboxOptions({ producer, table: 'tests.outbox_1' }, {}).table, 'tests.outbox_1');
  });
});
