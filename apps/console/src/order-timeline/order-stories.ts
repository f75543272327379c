import type { FlowEvent } from '../console-api.js';

/**
 * The events of the last `capacity` correlations the console saw, each correlation's in the order
 * they arrived, and which correlation each aggregate's events carry: an order's story is its own
 * events and every event caused on its behalf (the saga's, billing's), which keep its correlation id.
 * The oldest correlation is forgotten first.
 */
export class OrderStories {
  private readonly byCorrelation = new Map<string, FlowEvent[]>();
  private readonly correlationOf = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  add(event: FlowEvent): void {
    if (!event.correlationId) return;
    const story = this.byCorrelation.get(event.correlationId);
    if (story) story.push(event);
    else this.byCorrelation.set(event.correlationId, [event]);
    if (event.aggregateId && !this.correlationOf.has(event.aggregateId)) this.correlationOf.set(event.aggregateId, event.correlationId);
    while (this.byCorrelation.size > this.capacity) {
      const [oldest, events] = this.byCorrelation.entries().next().value as [string, FlowEvent[]];
      this.byCorrelation.delete(oldest);
      for (const { aggregateId } of events) if (aggregateId && this.correlationOf.get(aggregateId) === oldest) this.correlationOf.delete(aggregateId);
    }
  }

  /** The aggregate's story: every event of its correlation, oldest first; empty when the console has not seen it. */
  storyOf(aggregateId: string): FlowEvent[] {
    const correlationId = this.correlationOf.get(aggregateId);
    return correlationId ? [...(this.byCorrelation.get(correlationId) ?? [])] : [];
  }
}
