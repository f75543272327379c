import type { DeadLetterLedger } from '@faultline/shared/dead-letter';
import type { KafkaClient, OrderedProducer, ReceivedMessage } from '@faultline/shared/messaging';
import { scrapeMetric } from '../event-ordering/scrape-metric.js';
import type { Customer } from '../identity.js';
import { BILLING_CONSUMER, billingCopy, type BillingOrderCopy } from './billing-readings.js';
import { awaitCommitted } from './record-fate.js';

/** The dead-letter scenario's last step: an operator redriving an already applied dead letter once more. */

/** What a second redrive of an already applied dead letter did, seen from billing. */
export interface Redelivery {
  sent: number;
  consumed: boolean;
  consumedMs: number;
  duplicatesBefore: number;
  duplicatesAfter: number;
  copyBefore: BillingOrderCopy | null | undefined;
  copyAfter: BillingOrderCopy | null | undefined;
}

/**
 * Redrives the already redriven dead letter of order L again, as an operator re-running a redrive
 * with `--all` would, and waits until billing's group has committed past it in the redrive topic.
 * Billing's inbox must recognise the event: the duplicate counter rises and its copy of L stays as
 * it was.
 */
export async function redeliver(
  kafka: KafkaClient,
  ledger: DeadLetterLedger,
  producer: OrderedProducer,
  customer: Customer,
  billingUrl: string,
  letter: ReceivedMessage,
  orderId: string,
): Promise<Redelivery> {
  const duplicates = () => scrapeMetric(billingUrl, 'consumer_events_total', { consumer: BILLING_CONSUMER, outcome: 'duplicate' });
  const duplicatesBefore = await duplicates();
  const copyBefore = await billingCopy(customer, billingUrl, orderId).catch(() => undefined);
  const sent = await ledger.redrive(producer, { ids: [letter.offset], includeResolved: true }, { perSecond: 10, by: 'scenario dead-letter' });
  // Taken right after the send, so the redriven record is below each partition's end.
  const sentUpTo = await kafka.partitionProgress(ledger.redriveTopic, BILLING_CONSUMER);
  const sentAt = performance.now();
  const consumed = await awaitCommitted(kafka, ledger.redriveTopic, sentUpTo).then(
    () => true,
    () => false,
  );
  const consumedMs = Math.round(performance.now() - sentAt);
  return {
    sent: sent.length,
    consumed,
    consumedMs,
    duplicatesBefore,
    duplicatesAfter: await duplicates(),
    copyBefore,
    copyAfter: await billingCopy(customer, billingUrl, orderId).catch(() => undefined),
  };
}
