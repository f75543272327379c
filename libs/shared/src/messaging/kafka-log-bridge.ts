import { logLevel as KafkaLogLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

/** The kafkajs log level that lets through what the pino logger would print, and no more. */
export function kafkaLogLevelFor(logger: Logger): KafkaLogLevel {
  switch (logger.level) {
    case 'silent':
      return KafkaLogLevel.NOTHING;
    case 'fatal':
    case 'error':
      return KafkaLogLevel.ERROR;
    case 'warn':
      return KafkaLogLevel.WARN;
    case 'info':
      return KafkaLogLevel.INFO;
    default:
      return KafkaLogLevel.DEBUG;
  }
}

/** The message, and kafkajs's own timestamp and logger name, which pino has already. */
const OWN_FIELDS = new Set(['message', 'timestamp', 'logger']);

/** Routes kafkajs's own log lines into the service's pino logger instead of its console format. */
export function pinoLogCreator(logger: Logger): logCreator {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const fields = { namespace, ...Object.fromEntries(Object.entries(log).filter(([key]) => !OWN_FIELDS.has(key))) };
      const { message } = log;
      if (level === KafkaLogLevel.ERROR) kafkaLogger.error(fields, message);
      else if (level === KafkaLogLevel.WARN) kafkaLogger.warn(fields, message);
      else if (level === KafkaLogLevel.INFO) kafkaLogger.info(fields, message);
      else kafkaLogger.debug(fields, message);
    };
}
