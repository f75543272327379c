import { Controller, Get, Sse, type MessageEvent } from '@nestjs/common';
import { bufferTime, filter, map, type Observable } from 'rxjs';
import type { EventBatch, RecentEventsView } from '../console-api.js';
import { EventFlow } from './event-flow.js';

/** Events reach the page at most this often, in one message: a busy topic must not flood the browser. */
const BATCH_MS = 250;
/** At most this many events of a batch are sent; the message says how many arrived. */
const MAX_EVENTS_PER_BATCH = 100;

@Controller('api/events')
export class EventFlowController {
  constructor(private readonly flow: EventFlow) {}

  /** The recent events, oldest first, and whether the console is reading the topics yet. */
  @Get()
  recent(): RecentEventsView {
    return { state: this.flow.status(), events: this.flow.backlog() };
  }

  /** Server-sent events: a batch every quarter second while events arrive. */
  @Sse('stream')
  stream(): Observable<MessageEvent> {
    return this.flow.live.pipe(
      bufferTime(BATCH_MS),
      filter((batch) => batch.length > 0),
      map((batch): MessageEvent => ({ data: { events: batch.slice(-MAX_EVENTS_PER_BATCH), arrived: batch.length } satisfies EventBatch })),
    );
  }
}
