import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { Subject, type Observable } from 'rxjs';
import { KafkaClient } from '@faultline/shared/messaging';
import type { ConsoleSettings } from '../config.js';
import type { FlowEvent, FlowState } from '../console-api.js';
import { CONSOLE_LOGGER, CONSOLE_SETTINGS } from '../console-tokens.js';
import { OrderStories } from '../order-timeline/order-stories.js';
import { RecentEvents, flowEventOf } from './flow-event.js';

/** What a page that opens late is sent first. */
const BACKLOG = 200;
/** How many orders' stories (their correlations' events) the console keeps for the timeline. */
const STORIES = 5_000;
/** How often the console looks again for topics that do not exist yet (their services create them). */
const TOPIC_RECHECK_MS = 2_000;
/** A group normally joins and fetches within seconds; past this the console stops waiting and says so. */
const FIRST_FETCH_TIMEOUT_MS = 30_000;

/**
 * Reads the services' event topics as an operator's tool would: in a consumer group of its own (a
 * fresh one per console process, so two consoles each see every event), from the end of each topic.
 * It never produces, and the offsets it commits are its group's alone. A topic that does not exist
 * yet (its service creates it at start-up) is looked for every few seconds and read once it appears:
 * the consumer is started again, in the same group, with the longer list.
 */
@Injectable()
export class EventFlow implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly recent = new RecentEvents(BACKLOG);
  private readonly stories = new OrderStories(STORIES);
  private readonly events = new Subject<FlowEvent>();
  private readonly groupId = `faultline-console-${randomUUID()}`;
  private consumer?: Consumer;
  private readonly topics: readonly string[];
  private state: FlowState;
  private stopped = false;
  private recheck?: NodeJS.Timeout;

  constructor(
    private readonly kafka: KafkaClient,
    @Inject(CONSOLE_LOGGER) private readonly logger: Logger,
    @Inject(CONSOLE_SETTINGS) settings: ConsoleSettings,
  ) {
    this.topics = settings.eventTopics;
    this.state = { reading: [], joining: [], waitingFor: [...this.topics] };
  }

  /** Events as they arrive. */
  get live(): Observable<FlowEvent> {
    return this.events.asObservable();
  }

  backlog(): FlowEvent[] {
    return this.recent.list();
  }

  /** Every event the console read of the aggregate's correlation, oldest first. */
  storyOf(aggregateId: string): FlowEvent[] {
    return this.stories.storyOf(aggregateId);
  }

  status(): FlowState {
    return this.state;
  }

  onApplicationBootstrap(): void {
    void this.follow();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.recheck);
    this.events.complete();
    await this.kafka.disconnect();
  }

  /** Reads every watched topic that exists; while some do not, looks again in a few seconds. */
  private async follow(): Promise<void> {
    if (this.stopped) return;
    try {
      const existing = new Set(await this.kafka.listTopics());
      const present = this.topics.filter((topic) => existing.has(topic));
      const waitingFor = this.topics.filter((topic) => !existing.has(topic));
      if (present.length > this.state.reading.length) {
        this.state = { reading: this.state.reading, joining: present.filter((topic) => !this.state.reading.includes(topic)), waitingFor };
        await this.read(present);
      }
      this.state = { reading: present, joining: [], waitingFor };
    } catch (error) {
      this.logger.warn({ err: error }, 'the event flow cannot read Kafka yet; trying again');
    }
    if (this.state.waitingFor.length > 0 && !this.stopped) this.recheck = setTimeout(() => void this.follow(), TOPIC_RECHECK_MS);
  }

  private async read(topics: string[]): Promise<void> {
    await this.consumer?.disconnect();
    const consumer = this.kafka.createConsumer(this.groupId);
    this.consumer = consumer;
    // The group's start offsets are fixed at its first fetch: only then is "reading" true.
    const firstFetch = new Promise<void>((resolve) => {
      const stopListening = consumer.on(consumer.events.FETCH, () => {
        stopListening();
        resolve();
      });
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const event = flowEventOf({
          topic,
          partition,
          offset: message.offset,
          timestamp: message.timestamp,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
        });
        this.recent.add(event);
        this.stories.add(event);
        this.events.next(event);
      },
    });
    const fetched = await Promise.race([firstFetch.then(() => true), sleep(FIRST_FETCH_TIMEOUT_MS, false, { ref: false })]);
    if (!fetched) this.logger.warn({ topics, timeoutMs: FIRST_FETCH_TIMEOUT_MS }, 'no fetch from the event topics yet; reading them anyway');
    this.logger.info({ topics, groupId: this.groupId }, 'reading the event topics from their end');
  }
}
