import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { OrderEventStream } from '@faultline/shared/testing';
import { InvoiceBusinessDay } from '../billing-run/invoice-business-day.js';
import { DailyOrderTotals } from '../reports/daily-order-totals.js';
import { OrderEventsTestBed } from '../testing/order-events-test-bed.js';

const env = readFaultlineEnvironment();
const bed = new OrderEventsTestBed('order-outcomes');
const { run, publish, consumedUpToEnd } = bed;
/** The UTC business day every order of this file is placed on; each test bills its own customer. */
const DAY = '2026-06-10';
const at = (time: string) => `${DAY}T${time}Z`;

/**
 * What billing counts of an order, from the orders service's events to the daily report and the
 * invoice: the real billing AppModule, its consumer on a topic of this file's own, real Kafka and
 * PostgreSQL. Each test waits until the consumer has committed every event it produced, so the
 * totals read afterwards are the ones the events lead to, whatever billing did with each of them.
 */
describe('billing counts the orders its copy says are live', () => {
  /** The customer's day as the daily report and the billing run see it. */
  const billed = async (customerId: string) => {
    const [day] = await bed.service.app.get(DailyOrderTotals).perDay('UTC', DAY, DAY, customerId);
    const invoice = await bed.service.app.get(InvoiceBusinessDay).execute({ customerId, businessDate: DAY, timeZone: 'UTC' });
    return {
      report: { orderCount: day?.orderCount, revenue: day?.revenue },
      invoice: invoice.lines,
    };
  };

  before(() =>
    bed.start({
      partitions: 3,
      // The app's billing-run worker polls a queue of its own, so no real billing run reaches it.
      environment: { BILLING_RUN_TASK_QUEUE: `billing-runs-test-${run}` },
      alsoReachable: { Temporal: Number(env.TEMPORAL_PORT) },
    }),
  );
  after(() => bed.stop());

  it('leaves an order the saga rejected out of the daily revenue and out of the invoice', async () => {
    const customerId = randomUUID();
    const paid = new OrderEventStream({ customerId, total: { amountMinor: 400, currency: 'EUR' }, correlationId: `test-${run}` });
    const rejected = new OrderEventStream({ customerId, total: { amountMinor: 800, currency: 'EUR' }, correlationId: `test-${run}` });
    await publish([paid.placed(at('09:00:00')), paid.confirmed(at('09:00:02')), paid.paid(at('09:00:03'))]);
    await publish([rejected.placed(at('10:00:00')), rejected.rejected(at('10:00:02'))]);
    await consumedUpToEnd();

    assert.deepEqual(await billed(customerId), {
      report: { orderCount: 1, revenue: [{ currency: 'EUR', amountMinor: 400 }] },
      invoice: [{ currency: 'EUR', orderCount: 1, amountMinor: 400 }],
    });
  });

  it('counts placed, confirmed and paid orders, and leaves out rejected, cancelled and refunded ones', async () => {
    const customerId = randomUUID();
    const order = (amountMinor: number) => new OrderEventStream({ customerId, total: { amountMinor, currency: 'EUR' }, correlationId: `test-${run}` });
    const placed = order(1);
    const confirmed = order(2);
    const paid = order(4);
    const rejectedAfterConfirmed = order(8); // the capture failed after the order was confirmed
    const rejected = order(16);
    const cancelled = order(32);
    const cancelledWhenConfirmed = order(64);
    const cancelledWhenPaid = order(128); // its refund is still due
    const refunded = order(256);
    await publish([
      placed.placed(at('08:00:00')),
      confirmed.placed(at('08:01:00')),
      confirmed.confirmed(at('08:01:02')),
      paid.placed(at('08:02:00')),
      paid.confirmed(at('08:02:02')),
      paid.paid(at('08:02:03')),
      rejectedAfterConfirmed.placed(at('08:03:00')),
      rejectedAfterConfirmed.confirmed(at('08:03:02')),
      rejectedAfterConfirmed.rejected(at('08:03:04'), 'PaymentFailed: capture refused'),
      rejected.placed(at('08:04:00')),
      rejected.rejected(at('08:04:02')),
      cancelled.placed(at('08:05:00')),
      cancelled.cancelled(at('08:05:01')),
      cancelledWhenConfirmed.placed(at('08:06:00')),
      cancelledWhenConfirmed.confirmed(at('08:06:02')),
      cancelledWhenConfirmed.cancelled(at('08:06:03')),
      cancelledWhenPaid.placed(at('08:07:00')),
      cancelledWhenPaid.confirmed(at('08:07:02')),
      cancelledWhenPaid.paid(at('08:07:03')),
      cancelledWhenPaid.cancelled(at('09:00:00')),
      refunded.placed(at('08:08:00')),
      refunded.confirmed(at('08:08:02')),
      refunded.paid(at('08:08:03')),
      refunded.cancelled(at('09:00:00')),
      refunded.refunded(at('09:05:00')),
    ]);
    await consumedUpToEnd();

    assert.deepEqual(await billed(customerId), {
      report: { orderCount: 3, revenue: [{ currency: 'EUR', amountMinor: 1 + 2 + 4 }] },
      invoice: [{ currency: 'EUR', orderCount: 3, amountMinor: 1 + 2 + 4 }],
    });
  });
});
