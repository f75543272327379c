import { Injectable } from '@nestjs/common';
import { SystemClock } from '@faultline/shared/clock';
import { DeadLetterLedger, type DeadLetter } from '@faultline/shared/dead-letter';
import { KafkaClient, type OrderedProducer } from '@faultline/shared/messaging';
import type { DeadLetterTopicView, DeadLettersView, RedriveResult } from '../console-api.js';
import { ServiceMetrics } from '../service-metrics/service-metrics.js';
import { deadLetterTopicView, deadLetterTopicsIn } from './dead-letter-views.js';

/** A view this young is answered again as it is: every open page polls, Kafka is read once. */
const VIEW_REUSED_FOR_MS = 1_500;
/** The console's redrive, like the dlq command's: a dependency that has just come back is not flooded. */
const REDRIVE_PER_SECOND = 10;

/**
 * The dead letters of the running services' consumers (article 3). Which consumers there are comes
 * from each service's /metrics (`dead_letter_depth`); what waits in each dead-letter topic is read
 * from Kafka through the same ledger the services and the dlq command use, so the page, the alert
 * and the runbook agree. A redrive from the page is the dlq command's, marked `by: console`.
 */
@Injectable()
export class DeadLetterWatch {
  private readonly clock = new SystemClock();
  private latest?: { at: number; view: Promise<DeadLettersView> };
  /** Per dead-letter topic, what was read and the end offsets it was read at (the topic's and its ledger's). */
  private readonly lastRead = new Map<string, { ends: string; waiting: DeadLetter[] }>();
  private producer?: OrderedProducer;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly metrics: ServiceMetrics,
  ) {}

  view(): Promise<DeadLettersView> {
    const now = Date.now();
    if (!this.latest || now - this.latest.at > VIEW_REUSED_FOR_MS) this.latest = { at: now, view: this.read() };
    return this.latest.view;
  }

  /** Redrives the waiting dead letters of `topic` (only those with the given ids, when given); undefined when no running consumer owns the topic. */
  async redrive(topic: string, ids?: readonly string[]): Promise<RedriveResult | undefined> {
    const known = (await this.view()).topics.find((view) => view.topic === topic);
    if (!known) return undefined;
    this.producer ??= this.kafka.createOrderedProducer();
    const ledger = new DeadLetterLedger(this.kafka, topic, this.clock);
    const redriven = await ledger.redrive(this.producer, ids ? { ids } : {}, { perSecond: REDRIVE_PER_SECOND, by: 'console' });
    this.latest = undefined;
    return { topic, redriven: redriven.map((letter) => letter.id) };
  }

  private async read(): Promise<DeadLettersView> {
    const { scraped, problems } = await this.metrics.scrape();
    const owned = scraped.flatMap(({ service, text }) => deadLetterTopicsIn(text).map((topic) => ({ service, ...topic })));
    const now = this.clock.now();
    const ledgers = owned.map(({ topic }) => new DeadLetterLedger(this.kafka, topic, this.clock));
    const ends = await this.kafka.topicEnds(ledgers.flatMap((ledger) => [ledger.topic, ledger.resolutionsTopic])).catch(() => new Map<string, string>());
    const topics = await Promise.all(
      owned.map(async ({ service, consumer, topic }, index): Promise<DeadLetterTopicView> => {
        const ledger = ledgers[index] as DeadLetterLedger;
        try {
          // Reading a topic means a consumer group; the end offsets are one admin request. Nothing
          // written to the topic or its ledger since the last read: what was read still holds.
          const at = `${ends.get(ledger.topic) ?? '?'}|${ends.get(ledger.resolutionsTopic) ?? '?'}`;
          const known = this.lastRead.get(topic);
          const waiting = known && !at.includes('?') && known.ends === at ? known.waiting : await ledger.list({}, now);
          this.lastRead.set(topic, { ends: at, waiting });
          return deadLetterTopicView(service, consumer, topic, waiting, now);
        } catch (error) {
          return { ...deadLetterTopicView(service, consumer, topic, [], now), problem: `Kafka did not give ${topic}: ${(error as Error).message}` };
        }
      }),
    );
    return { topics, problems, readAt: now.toISOString() };
  }
}
