import { parseArgs } from 'node:util';
import type { DeadLetterFilter } from '@faultline/shared/messaging';

export const DLQ_USAGE = `usage: npm run dlq -- <command> --consumer <name> [filters] [options]

commands:
  list      the consumer's waiting dead letters (--all: redriven and archived ones too)
  show      every field of the dead letters picked by --id
  redrive   send them back to the consumer (through <consumer>.redrive), at most --rate per second
            (--all: already redriven ones again; the consumer's inbox applies each event once)
  purge     archive them to <consumer>.dlq.archive and mark them archived (nothing is deleted)

filters:  --id <offset> (repeatable)  --error-class <class>  --reason <reason>  --older-than <30s|15m|2h|7d>
options:  --rate <per second, default 10>  --topic <dead-letter topic, default <consumer>.dlq>`;

export type DlqCommand = 'list' | 'show' | 'redrive' | 'purge';

export interface DlqArguments {
  command: DlqCommand;
  consumer: string;
  topic: string;
  filter: DeadLetterFilter;
  perSecond: number;
}

/** Parses the command line; throws an Error whose message is the one line to print (and the usage). */
export function parseDlqArguments(argv: readonly string[]): DlqArguments {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
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
  });
  const command = positionals[0];
  if (command !== 'list' && command !== 'show' && command !== 'redrive' && command !== 'purge') {
    throw new Error(`unknown command "${command ?? ''}": expected list, show, redrive or purge`);
  }
  if (!values.consumer) throw new Error('--consumer is required, e.g. --consumer billing-orders');
  if ((command === 'show' || command === 'purge') && !values.id && !values['older-than'] && !values['error-class'] && !values.reason) {
    throw new Error(`${command} needs a filter (--id, --older-than, --error-class or --reason), so it never acts on everything by accident`);
  }
  const perSecond = Number(values.rate);
  if (!(perSecond > 0)) throw new Error(`--rate must be a positive number, not "${values.rate}"`);
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
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30s`, `15m`, `2h`, `7d` → milliseconds. */
export function durationMs(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) throw new Error(`--older-than takes a number and a unit (s, m, h, d), e.g. 2h, not "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
