import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ConsoleSettings } from '../config.js';
import type { OrderTimeline, ProviderPayment, SagaView, SentEmail, SourceProblem, TraceStep } from '../console-api.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import { EventFlow } from '../event-flow/event-flow.js';
import { ConsoleTemporal } from '../temporal/console-temporal.js';
import { sagaFromHistory } from './saga-history.js';
import { traceSteps, type JaegerTraceAnswer } from './trace-steps.js';

/** Each source gets this long to answer; a slow one is named in the timeline's problems, not waited for. */
const SOURCE_TIMEOUT_MS = 3_000;

interface MaildevEmail {
  subject?: string;
  to?: { address?: string }[];
  /** When MailDev received it (ISO-8601). */
  time?: string;
}

/**
 * One order's timeline, gathered the way an operator would: its events from the console's own
 * reading of Kafka, the saga from Temporal's workflow history, the payment from the provider's
 * API, the e-mails from MailDev's API, the trace from the events' traceparent. A source that does
 * not answer is named in `problems`; the rest is still shown.
 */
@Injectable()
export class OrderTimelineService {
  constructor(
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
    private readonly flow: EventFlow,
    private readonly temporal: ConsoleTemporal,
  ) {}

  async timelineOf(orderId: string): Promise<OrderTimeline> {
    const events = this.flow.storyOf(orderId);
    const problems: SourceProblem[] = [];
    const attempt = <T>(source: SourceProblem['source'], work: () => Promise<T>, fallback: T): Promise<T> =>
      work().catch((error: Error) => {
        problems.push({ source, problem: error.message });
        return fallback;
      });
    const traceId = events.find((event) => event.aggregateId === orderId && event.traceId)?.traceId;
    const traceUrl = traceId && `${this.settings.jaegerUrl}/api/traces/${traceId}`;
    const [saga, payments, emails, steps] = await Promise.all([
      attempt('temporal', () => this.sagaOf(orderId), undefined),
      attempt('payment provider', () => this.paymentsOf(orderId), [] as ProviderPayment[]),
      attempt('maildev', () => this.emailsAbout(orderId), [] as SentEmail[]),
      traceUrl ? attempt('jaeger', () => this.stepsOf(traceUrl), [] as TraceStep[]) : Promise.resolve([]),
    ]);
    return {
      orderId,
      events,
      ...(saga ? { saga } : {}),
      payments,
      emails,
      ...(traceId && traceUrl ? { trace: { traceId, url: traceUrl, steps } } : {}),
      problems,
    };
  }

  /** The saga's workflow (`order-<orderId>`, one per order), or nothing while it does not exist. */
  private async sagaOf(orderId: string): Promise<SagaView | undefined> {
    const workflowId = `order-${orderId}`;
    try {
      const client = await this.temporal.client();
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      return sagaFromHistory(workflowId, history.events ?? []);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** The trace's boundary-crossing spans as Jaeger holds them so far; none while it has not received the trace (404). */
  private async stepsOf(traceUrl: string): Promise<TraceStep[]> {
    const response = await fetch(traceUrl, { signal: AbortSignal.timeout(SOURCE_TIMEOUT_MS) });
    if (response.status === 404) return [];
    if (!response.ok) throw new Error(`${traceUrl} answered HTTP ${response.status}`);
    return traceSteps((await response.json()) as JaegerTraceAnswer);
  }

  private async paymentsOf(orderId: string): Promise<ProviderPayment[]> {
    const provider = this.settings.services.find((service) => service.name === 'payment-provider');
    if (!provider) return [];
    const url = `${provider.url}/v1/authorizations?orderReference=${encodeURIComponent(orderId)}`;
    const answer = await fetchJson<{ items?: ProviderPayment[] }>(url);
    return (answer.items ?? []).map(({ id, status, amountMinor, currency }) => ({ id, status, amountMinor, currency }));
  }

  /** MailDev 3 answers /api/email (what runs natively), the 2.x image of docker-compose.yml /email. */
  private async emailsAbout(orderId: string): Promise<SentEmail[]> {
    let emails: MaildevEmail[] | undefined;
    for (const path of ['/api/email', '/email']) {
      emails = await fetchJson<MaildevEmail[]>(`${this.settings.maildevUrl}${path}`).catch(() => undefined);
      if (emails) break;
    }
    if (!emails) throw new Error(`MailDev at ${this.settings.maildevUrl} answers neither /api/email nor /email`);
    // notifications names the order in every subject by its id's first eight characters.
    const mark = orderId.slice(0, 8);
    return emails
      .filter((email) => email.subject?.includes(mark))
      .map((email) => ({ subject: email.subject ?? '', to: (email.to ?? []).map((to) => to.address ?? ''), at: email.time ?? '' }))
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(SOURCE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return (await response.json()) as T;
}
