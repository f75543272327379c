import type { SourceRecord } from '../messaging/index.js';

/** Headers a record carries while it travels through a consumer's retry topics (article 3). */
export const RETRY_HEADERS = {
  stage: 'x-retry-stage',
  notBefore: 'x-retry-not-before',
  attempts: 'x-retry-attempts',
  firstFailureAt: 'x-retry-first-failure-at',
  errorClass: 'x-retry-error-class',
  errorMessage: 'x-retry-error-message',
  sourceTopic: 'x-retry-source-topic',
  sourcePartition: 'x-retry-source-partition',
  sourceOffset: 'x-retry-source-offset',
} as const;

/**
 * The consumer's own topics besides its sources, all named after its group (like `<groupId>.dlq`,
 * docs/decisions/0004), so another group reading the same source topic never sees them:
 * `<groupId>.retry.<n>` per delay of the failure policy, and `<groupId>.redrive`, where redriven
 * dead letters come back in (no delay: someone decided they are due).
 */
export class RetryTopics {
  readonly stages: readonly string[];
  readonly redrive: string;

  constructor(groupId: string, retryDelaysMs: readonly number[]) {
    this.stages = retryDelaysMs.map((_, index) => `${groupId}.retry.${index + 1}`);
    this.redrive = `${groupId}.redrive`;
  }

  get all(): string[] {
    return [...this.stages, this.redrive];
  }

  /** The stage number (1-based) of a retry topic, 0 for the redrive topic, undefined for a source topic. */
  stageOf(topic: string): number | undefined {
    if (topic === this.redrive) return 0;
    const index = this.stages.indexOf(topic);
    return index < 0 ? undefined : index + 1;
  }
}

/** Where a record first came from and how often it has failed, whichever topic it is read from now. */
export interface RecordOrigin {
  topic: string;
  partition: number;
  offset: string;
  attempts: number;
  firstFailureAt?: Date;
  /** Not before this may a record in a retry topic be attempted again. */
  notBefore?: Date;
}

export function originOf(record: SourceRecord): RecordOrigin {
  const h = record.headers;
  const firstFailure = h[RETRY_HEADERS.firstFailureAt];
  const notBefore = h[RETRY_HEADERS.notBefore];
  return {
    topic: h[RETRY_HEADERS.sourceTopic] ?? record.topic,
    partition: h[RETRY_HEADERS.sourcePartition] === undefined ? record.partition : Number(h[RETRY_HEADERS.sourcePartition]),
    offset: h[RETRY_HEADERS.sourceOffset] ?? record.offset,
    attempts: countOrZero(h[RETRY_HEADERS.attempts]),
    firstFailureAt: instantOrUndefined(firstFailure),
    notBefore: instantOrUndefined(notBefore),
  };
}

/**
 * Headers come from the wire: anyone with write access to a retry topic can put anything in them. An
 * unreadable instant counts as absent — for `notBefore` that means "due now"; an Invalid Date would
 * make the wait NaN, and the partition would pause and resume on the same record for ever.
 */
function instantOrUndefined(header: string | undefined): Date | undefined {
  if (!header) return undefined;
  const instant = new Date(header);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

function countOrZero(header: string | undefined): number {
  const count = Number(header ?? 0);
  return Number.isSafeInteger(count) && count >= 0 ? count : 0;
}

/** The record as it arrived at the consumer, without the retry headers added on the way. */
export function withoutRetryHeaders(headers: Record<string, string>): Record<string, string> {
  const retryNames = new Set<string>(Object.values(RETRY_HEADERS));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !retryNames.has(name)));
}
