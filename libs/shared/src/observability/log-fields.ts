import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<Readonly<Record<string, unknown>>>();

/**
 * Runs `work` with `fields` on every line the service logger writes inside it, whichever logger
 * object writes it (pino child, Nest's Logger, kafkajs's bridge): a consumer puts the correlation id
 * of the event it handles there, so the handler's lines need not pass it along. Nested calls add
 * to the outer fields.
 */
export function withLogFields<T>(fields: Readonly<Record<string, unknown>>, work: () => T): T {
  return scope.run({ ...scope.getStore(), ...fields }, work);
}

/** The fields of the innermost `withLogFields` around the caller, as a new object (pino's mixin merges into it). */
export function currentLogFields(): Record<string, unknown> {
  return { ...scope.getStore() };
}
