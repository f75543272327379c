import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { CANCELLED_PERCENT, chosenForCancellation } from './paid-order-cancellations.js';

describe('the orders the run cancels once paid', () => {
  it('are chosen by the order id alone, about CANCELLED_PERCENT of them', () => {
    const orderIds = Array.from({ length: 4_000 }, () => randomUUID());
    const chosen = orderIds.filter(chosenForCancellation);
    assert.deepEqual(orderIds.filter(chosenForCancellation), chosen, 'the same ids are chosen every time');
    const percent = (chosen.length * 100) / orderIds.length;
    assert.ok(Math.abs(percent - CANCELLED_PERCENT) < 3, `${percent.toFixed(1)} % chosen`);
  });
});
