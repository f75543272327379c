import { UsageError, defineCommandLine } from '@faultline/shared/command-line';
import type { DeadLetterFilter } from '@faultline/shared/dead-letter';

export type DlqCommand = 'list' | 'show' | 'redrive' | 'purge';

export interface DlqArguments {
  command: DlqCommand;
  consumer: string;
  topic: string;
  filter: DeadLetterFilter;
  perSecond: number;
}

/** `npm run dlq`'s command line: `commandLine.parse` throws a UsageError whose message is the one line to print. */
export const commandLine = defineCommandLine({
  invocation: 'npm run dlq --',
  usage: `usage: npm run dlq -- <command> --consumer <name> [filters] [options]

Article 3's runbook tool: reads and acts on one consumer's dead letters, talking to Kafka directly
(KAFKA_PORT) as an operator would.

commands:
  list      the consumer's waiting dead letters
  show      every field of the dead letters the filters pick (redriven and archived ones included)
  redrive   send them back to the consumer (through <consumer>.redrive), at most --rate per second;
            the consumer's inbox applies each event once, so a second redrive changes nothing
  purge     archive them to <consumer>.dlq.archive and mark them archived (nothing is deleted)

filters (show and purge need at least one, so they never act on everything by accident):
  --id <offset>             this dead letter (repeatable)
  --error-class <class>     the ones whose handler threw this error class
  --reason <reason>         the ones dead-lettered for this reason (retries-exhausted, invalid-event, …)
  --older-than <duration>   the ones that first failed longer ago than 30s, 15m, 2h or 7d

options:
  --consumer <name>         the consumer whose dead letters these are, e.g. billing-orders (required)
  --topic <topic>           the dead-letter topic; default: <consumer>.dlq
  --rate <per second>       redrive at most this many a second; default: 10
  --all                     include redriven and archived ones (list, redrive); default: waiting ones only
  -h, --help                print this text

examples:
  npm run dlq -- list --consumer billing-orders                  # what it could not apply, and why
  npm run dlq -- show --consumer billing-orders --id <offset>    # one dead letter with its full context
  npm run dlq -- redrive --consumer billing-orders --error-class X --rate 10   # idempotent: twice = once
  npm run dlq -- redrive --consumer billing-orders --id <offset> --all          # send a redriven one again (the inbox applies it once)
  npm run dlq -- purge --consumer billing-orders --older-than 7d  # archive, never delete`,
  options: {
    consumer: { type: 'string' },
    topic: { type: 'string' },
    id: { type: 'string', multiple: true },
    'error-class': { type: 'string' },
    reason: { type: 'string' },
    'older-than': { type: 'string' },
    rate: { type: 'string', default: '10' },
    all: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  interpret: ({ values, positionals }): DlqArguments => {
    const command = positionals[0];
    if (command !== 'list' && command !== 'show' && command !== 'redrive' && command !== 'purge') {
      throw new UsageError(`unknown command "${command ?? ''}": expected list, show, redrive or purge`);
    }
    if (!values.consumer) throw new UsageError('--consumer is required, e.g. --consumer billing-orders');
    if ((command === 'show' || command === 'purge') && !values.id && !values['older-than'] && !values['error-class'] && !values.reason) {
      throw new UsageError(`${command} needs a filter (--id, --older-than, --error-class or --reason), so it never acts on everything by accident`);
    }
    const perSecond = Number(values.rate);
    if (!(perSecond > 0)) throw new UsageError(`--rate must be a positive number, not "${values.rate}"`);
    return {
      command,
      consumer: values.consumer,
      topic: values.topic ?? `${values.consumer}.dlq`,
      perSecond,
      filter: {
        ids: values.id,
        errorClass: values['error-class'],
        reason: values.reason,
        olderThanMs: values['older-than'] === undefined ? undefined : durationMs(values['older-than']),
        includeResolved: command === 'show' || values.all,
      },
    };
  },
});

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30s`, `15m`, `2h`, `7d` → milliseconds. */
export function durationMs(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) throw new UsageError(`--older-than takes a number and a unit (s, m, h, d), e.g. 2h, not "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
