import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger } from 'pino';
import { z } from 'zod';
import type { ServiceIdentity } from '../config/index.js';
import { currentLogFields } from './log-fields.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `LOG_LEVEL` in a service's config schema: pino's level names, `info` when unset. */
export const logLevel = () => z.enum(LOG_LEVELS).default('info');

/**
 * The process's one pino logger: JSON lines on stdout, each carrying the service's name and version
 * so lines from three services interleaved in one terminal or one log folder stay attributable.
 * Writes are synchronous: the last lines before a crash or a `process.exit` — usually the ones that
 * say why — are never lost in a buffer. Switch to an async destination when a benchmark says so.
 * Lines written inside `withLogFields` carry its fields (a consumed event's correlation id).
 */
export function createServiceLogger(
  service: ServiceIdentity,
  level: LogLevel,
  destination: DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger {
  return pino(
    {
      level,
      base: { service: service.name, version: service.version, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: currentLogFields,
    },
    destination,
  );
}
