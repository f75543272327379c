import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownTable, ratioOf, tableRow, textTable, verdictOf, type Figure } from './figures.js';

const relay: Figure = {
  name: 'outbox relay',
  unit: 'events/s',
  ours: 1400,
  baseline: 2000,
  baselineName: 'raw kafkajs producer',
  target: { kind: 'ratio-at-least', value: 0.7 },
};

describe('figures', () => {
  it('divides ours by the baseline and meets an at-least target at exactly the target', () => {
    assert.equal(ratioOf(relay), 0.7);
    assert.equal(verdictOf(relay), 'met');
    assert.equal(verdictOf({ ...relay, ours: 1300 }), 'missed');
  });

  it('meets an at-most target when ours is within that multiple of the baseline', () => {
    const latency: Figure = { name: 'p99', unit: 'ms', ours: 40, baseline: 10, target: { kind: 'ratio-at-most', value: 5 } };
    assert.equal(verdictOf(latency), 'met');
    assert.equal(verdictOf({ ...latency, ours: 51 }), 'missed');
  });

  it('judges an absolute target on ours alone, without a baseline', () => {
    const memory: Figure = { name: 'orders peak RSS', unit: 'MB', ours: 150, baseline: null, target: { kind: 'below', value: 200 } };
    assert.equal(verdictOf(memory), 'met');
    assert.equal(tableRow(memory).ratio, '—');
  });

  it('never reports a figure that was not measured as met, and shows why it was not', () => {
    const saga: Figure = { name: 'saga', unit: 'orders/s', ours: null, baseline: null, note: 'not measured yet: the saga is being built', target: { kind: 'ratio-at-least', value: 1 } };
    assert.equal(verdictOf(saga), 'not measured');
    assert.equal(tableRow(saga).ours, 'not measured yet: the saga is being built');
    assert.equal(tableRow(saga).met, 'not measured');
  });

  it('prints every figure as a row of the text and Markdown tables', () => {
    const text = textTable([relay]);
    assert.match(text, /^figure\s+ours\s+baseline\s+ratio\s+target\s+met\?/);
    assert.match(text, /outbox relay \(events\/s\)\s+1,400\s+2,000 \(raw kafkajs producer\)\s+0\.70×\s+≥ 0\.7×\s+yes/);
    const markdown = markdownTable([relay]).split('\n');
    assert.equal(markdown.length, 3);
    assert.equal(markdown[2], '| outbox relay (events/s) | 1,400 | 2,000 (raw kafkajs producer) | 0.70× | ≥ 0.7× | yes |');
  });
});
