#!/usr/bin/env node
// npm run dlq -- list|show|redrive|purge --consumer <name> [filters]   (article 3's runbook tool; --help: dlq-arguments.ts)
// Talks to Kafka directly (KAFKA_PORT), as an operator would, not through a service.
import { pino } from 'pino';
import { z } from 'zod';
import { SystemClock } from '@faultline/shared/clock';
import { loadConfig, port } from '@faultline/shared/config';
import { DeadLetterLedger, type DeadLetter } from '@faultline/shared/dead-letter';
import { KafkaClient } from '@faultline/shared/messaging';
import { commandLine, type DlqArguments } from './dlq-arguments.js';

function describe(letter: DeadLetter, now: Date): string {
  const age = Math.round((now.getTime() - letter.firstFailureAt.getTime()) / 1_000);
  const state = letter.resolution ? ` [${letter.resolution.action} ${letter.resolution.at} by ${letter.resolution.by}]` : '';
  return (
    `#${letter.id}  ${letter.reason.padEnd(18)} ${letter.errorClass.padEnd(22)} age ${age}s  attempts ${letter.attempts}` +
    `  ${letter.source.topic}/${letter.source.partition}@${letter.source.offset}  key ${letter.key ?? '-'}  trace ${letter.traceId}${letter.retryable ? '  retryable' : ''}${state}`
  );
}

async function run(args: DlqArguments): Promise<void> {
  const env = loadConfig('dlq', z.object({ KAFKA_PORT: port() }));
  const kafka = new KafkaClient({ brokers: [`127.0.0.1:${env.KAFKA_PORT}`] }, `dlq-${args.consumer}`, pino({ level: 'error' }));
  const ledger = new DeadLetterLedger(kafka, args.topic, new SystemClock());
  const now = new Date();
  try {
    switch (args.command) {
      case 'list': {
        const letters = await ledger.list(args.filter, now);
        for (const letter of letters) console.log(describe(letter, now));
        console.log(`${letters.length} dead letter(s) in ${args.topic}${args.filter.includeResolved ? '' : ' waiting'}`);
        break;
      }
      case 'show':
        for (const letter of await ledger.list(args.filter, now)) console.log(JSON.stringify(letter, null, 2));
        break;
      case 'redrive': {
        const producer = kafka.createOrderedProducer();
        const redriven = await ledger.redrive(producer, args.filter, { perSecond: args.perSecond, by: 'dlq command', now });
        for (const letter of redriven) console.log(`redriven ${describe(letter, now)}`);
        console.log(`${redriven.length} dead letter(s) redriven to ${ledger.redriveTopic} ${args.filter.includeResolved ? ' (already redriven ones included: --all)' : ' (already redriven ones are skipped)'}`);
        break;
      }
      case 'purge': {
        const producer = kafka.createOrderedProducer();
        const archived = await ledger.archive(producer, args.filter, { by: 'dlq command', now });
        for (const letter of archived) console.log(`archived ${describe(letter, now)}`);
        console.log(`${archived.length} dead letter(s) archived to ${ledger.archiveTopic}`);
        break;
      }
    }
  } finally {
    await kafka.disconnect();
  }
}

const args = commandLine.read();
try {
  await run(args);
} catch (error) {
  console.error(`✗ dlq ${args.command} failed: ${error instanceof Error ? error.message : String(error)} — is Kafka up? (\`npm run infra:status\`)`);
  process.exit(1);
}
