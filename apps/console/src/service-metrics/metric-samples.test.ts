import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricSamples, metricValue } from './metric-samples.js';

const TEXT = [
  '# HELP replica_routed_reads_total Reads routed between primary and replica',
  '# TYPE replica_routed_reads_total counter',
  'replica_routed_reads_total{served_by="primary",reason="replica-lagging"} 12',
  'replica_routed_reads_total{reason="no-token",served_by="replica"} 3',
  'replica_lag_bytes 16384',
  'replica_lag_bytes_other 1',
  'http_request_duration_seconds_bucket{le="0.1",route="/orders/:id"} 4',
  'message_label{text="a \\"quoted\\" word"} 1',
].join('\n');

describe('metricSamples', () => {
  it("reads one family's samples with their labels, in any label order, and no other family", () => {
    assert.deepEqual(metricSamples(TEXT, 'replica_routed_reads_total'), [
      { labels: { served_by: 'primary', reason: 'replica-lagging' }, value: 12 },
      { labels: { reason: 'no-token', served_by: 'replica' }, value: 3 },
    ]);
    assert.deepEqual(metricSamples(TEXT, 'replica_lag_bytes'), [{ labels: {}, value: 16384 }]);
    assert.deepEqual(metricSamples(TEXT, 'message_label'), [{ labels: { text: 'a "quoted" word' }, value: 1 }]);
  });

  it('finds nothing for a metric the service does not report', () => {
    assert.deepEqual(metricSamples(TEXT, 'dead_letter_depth'), []);
    assert.equal(metricValue(TEXT, 'dead_letter_depth'), undefined);
    assert.equal(metricValue(TEXT, 'replica_routed_reads_total'), 15);
  });
});
